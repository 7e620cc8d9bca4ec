-- /lib/modules/lua/kvstore.lua: a key/value store over an rcu table,
-- as a character device.  The table is published as lunatik._ENV.kvstore,
-- so that other runtimes (a netfilter hook, a kprobe) read it lock-free.
-- usage: $ sudo lunatik run kvstore
--        $ echo "set colour blue" > /dev/kvstore
--        $ echo "del colour" > /dev/kvstore
--        $ cat /dev/kvstore          # key=value lines, sorted
--        $ sudo lunatik stop kvstore
local device  = require("device")
local linux   = require("linux")
local rcu     = require("rcu")
local lunatik = require("lunatik")

local store = rcu.table(1024)	-- lives as long as this runtime
lunatik._ENV.kvstore = store

local function dump()
	local lines = {}
	rcu.map(store, function(k, v)
		lines[#lines + 1] = k .. "=" .. tostring(v)
	end)
	table.sort(lines)
	return #lines > 0 and table.concat(lines, "\n") .. "\n" or ""
end

-- one command a line: "set <key> <value>" or "del <key>"
local function command(line)
	local op, key, value = line:match("^(%a+)%s+(%S+)%s*(.-)%s*$")
	if op == "set" and value ~= "" then
		store[key] = value
	elseif op == "del" and value == "" then
		store[key] = nil
	elseif line:match("%S") then
		error("kvstore: bad command: " .. line)
	end
end

local s = linux.stat
local driver = {name = "kvstore", mode = s.IRUGO | s.IWUSR}

function driver:read(len, off)
	return dump():sub(off + 1, off + len)
end

function driver:write(buf)
	for line in buf:gmatch("[^\n]+") do
		command(line)
	end
	return #buf
end

device.new(driver)
