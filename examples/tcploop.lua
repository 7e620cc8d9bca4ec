-- /lib/modules/lua/tcploop.lua: the TCP server loop of the tcpkv and echod
-- examples; a module they require, not a script to run.
--
--	local tcploop = require("tcploop")
--	local l = tcploop.listen("tcp6", "::1", 7777)	-- or "tcp"
--	tcploop.serve({l}, function(client, data) return data end)
--
-- Why a poll loop: a socket belongs to the runtime that made it (it cannot
-- cross to another runtime through lunatik._ENV), and a kernel thread holds
-- its runtime for as long as its body runs, so one thread serves every
-- connection its own listeners accept.  Each round waits in accept() for
-- at most TICK ms, then reads what each client sent without waiting.  A
-- wait ends at once when the thread is asked to stop (`lunatik stop`), so
-- the loop ends promptly even with no traffic.
local socket = require("socket")
local inet   = require("socket.inet")
local thread = require("thread")

local sol, so, msg = socket.sol, socket.so, socket.msg

local tcploop = {}

local TICK = 10		-- ms: how long a round waits for a connection
local SNDTIMEO = 1000	-- ms: a client that does not read is dropped
local CHUNK = 4096	-- bytes read from a client at once

-- tcploop.listen(family, addr, port[, reuseport]) -> listening socket
function tcploop.listen(family, addr, port, reuseport)
	local s = inet[family]()
	s:setsockopt(sol.SOCKET, so.REUSEADDR, 1)
	if reuseport then
		s:setsockopt(sol.SOCKET, so.REUSEPORT, 1)
	end
	s:setsockopt(sol.SOCKET, so.RCVTIMEO, TICK)
	s:bind(addr, port)
	s:listen()
	return s
end

-- One round for one client: false once it is done with (gone, failed, or
-- handler said so).  handler(client, data) -> reply (or nil), close.
local function poll(client, handler)
	local data, why = client.sock:tryreceive(CHUNK, msg.DONTWAIT)
	if not data then
		return why == "timeout"		-- nothing yet; or we stop
	elseif data == "" then
		return false			-- the peer closed
	end
	local reply, close = handler(client, data)
	if reply and #reply > 0 and client.sock:send(reply) ~= #reply then
		return false
	end
	return not close
end

-- tcploop.serve(listeners, handler): until the thread is asked to stop.
-- A client is a table {sock = s, buf = ""} the handler may keep state in.
function tcploop.serve(listeners, handler)
	local clients = {}
	while not thread.shouldstop() do
		for _, l in ipairs(listeners) do
			local s = l:tryaccept()	-- nil on timeout or stop
			if s then
				s:setsockopt(sol.SOCKET, so.SNDTIMEO, SNDTIMEO)
				clients[#clients + 1] = {sock = s, buf = ""}
			end
		end
		for i = #clients, 1, -1 do
			local c = clients[i]
			-- a reset connection raises: drop it, keep serving
			local ok, keep = pcall(poll, c, handler)
			if not (ok and keep) then
				c.sock:close()
				table.remove(clients, i)
			end
		end
	end
	for _, c in ipairs(clients) do
		c.sock:close()
	end
	for _, l in ipairs(listeners) do
		l:close()
	end
end

return tcploop
