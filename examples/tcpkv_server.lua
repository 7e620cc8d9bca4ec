-- /lib/modules/lua/tcpkv_server.lua: the server of one address family of
-- tcpkv.lua, which runs it in a kernel thread; not meant to be run on its
-- own.
require("rcu")		-- the class of the table lunatik._ENV hands us
local lunatik = require("lunatik")
local tcploop = require("tcploop")

local PORT = 11211
local MAXLINE = 1024	-- longest line, "\n" included
local MAXKEY = 250

local ADDR = {tcp = "127.0.0.1", tcp6 = "::1"}
local family = lunatik._ENV.tcpkv_family
local store = lunatik._ENV.tcpkv

-- bound here, so that `lunatik run tcpkv` fails if the port is taken
local listener = tcploop.listen(family, ADDR[family], PORT)

local function command(line)
	local op, key, value = line:match("^(%l+) +(%S+) *(.-) *$")
	if not op or #key > MAXKEY then
		return "ERROR"
	elseif op == "set" and value ~= "" then
		store[key] = value
		return "OK"
	elseif op == "get" and value == "" then
		local v = store[key]
		return v == nil and "NOT_FOUND" or
			string.format("VALUE %s %s", key, tostring(v))
	elseif op == "del" and value == "" then
		if store[key] == nil then
			return "NOT_FOUND"
		end
		store[key] = nil
		return "DELETED"
	end
	return "ERROR"
end

-- the replies to every whole line received; a partial line waits in
-- client.buf for the rest
local function handle(client, data)
	local buf, out, pos = client.buf .. data, {}, 1
	-- a plain find, linear: a pattern like "([^\n]*)\n" backtracks over
	-- a long line without a newline at every position (quadratic)
	while true do
		local nl = buf:find("\n", pos, true)
		if not nl or nl - pos >= MAXLINE then
			break
		end
		local line = buf:sub(pos, nl - 1):gsub("\r$", "")
		out[#out + 1] = command(line) .. "\n"
		pos = nl + 1
	end
	client.buf = buf:sub(pos)
	if #client.buf >= MAXLINE then
		out[#out + 1] = "ERROR line too long\n"
		return table.concat(out), true
	end
	return table.concat(out)
end

return function()
	tcploop.serve({listener}, handle)
	lunatik._ENV.tcpkv = nil
end
