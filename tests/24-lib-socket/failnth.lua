-- The socket calls, for the allocation-failure sweep in run: every
-- failure must end in success, "not enough memory" or a clean socket
-- error, with no leak and no splat.  Waits are short: a failed allocation
-- may drop a packet, and the try forms let the chunk go on without it.
local socket = require "socket"
local af, sock, sol, so = socket.af, socket.sock, socket.sol, socket.so

local u = socket.new(af.INET, sock.DGRAM, 0)
u:bind("127.0.0.1", 0)
u:setsockopt(sol.SOCKET, so.RCVTIMEO, string.pack("=i8i8", 0, 100000))
local a, p = u:getsockname()
local c = socket.new(af.INET, sock.DGRAM, 0)
c:send("ping", a, p)
u:tryreceive(16, 0, true)
-- the raising forms: their error message is allocated too
pcall(u.receive, u, 16, socket.msg.DONTWAIT)

local l = socket.new(af.INET6, sock.STREAM, 0)
l:bind("::1", 0)
l:listen()
l:setsockopt(sol.SOCKET, so.RCVTIMEO, 100)
pcall(l.accept, l, sock.NONBLOCK)
local _, lp = l:getsockname()
local k = socket.new(af.INET6, sock.STREAM, 0)
k:setsockopt(sol.SOCKET, so.SNDTIMEO, 100)
if k:tryconnect("::1", lp) then
	local s = l:tryaccept()
	if s then
		k:send("hello")
		s:setsockopt(sol.SOCKET, so.RCVTIMEO, 100)
		s:tryreceive(16, 0, true)
		s:getpeername()
		s:close()
	end
end

local x = socket.new(af.UNIX, sock.DGRAM, 0)
x:bind("\0ls_failnth")
x:close()
k:close()
l:close()
u:close()
c:close()
print("failnth-done")
