-- socket.inet: TCP and UDP sockets over IPv4 and IPv6.
--
--	local inet = require "socket.inet"
--	local s = inet.tcp()		-- or udp(), tcp6(), udp6()
--	s:bind("127.0.0.1", 80)		-- the socket's methods, and:
--	local ip, port = s:getsockname()	-- "127.0.0.1", 80
--	local msg, ip, port = s:receivefrom(1500)
--
-- The objects are sockets (socket.new): every method is there, and
-- addresses may be given dotted or as integers.  What the helpers add:
-- IPv4 addresses come back dotted (getsockname, getpeername,
-- receivefrom), and accept() returns a socket that does the same.
local socket = require "socket"
local net = require "net"

local af, sock, ipproto = socket.af, socket.sock, socket.ipproto
local inet = {}
local Inet = require("socket.wrap").class()

local function dotted(addr, ...)
	if math.type(addr) == "integer" then
		return net.ntoa(addr), ...
	end
	return addr, ...
end

local function wrap(s)
	return setmetatable({sock = s}, Inet)
end

function Inet:getsockname()
	return dotted(self.sock:getsockname())
end

function Inet:getpeername()
	return dotted(self.sock:getpeername())
end

-- s:receivefrom(len[, flags]) -> msg, addr, port (or nil, why)
function Inet:receivefrom(len, flags)
	local msg, addr, port = self.sock:receive(len, flags, true)
	if not msg then
		return msg, addr
	end
	return msg, dotted(addr, port)
end

function Inet:accept()
	local c, why = self.sock:accept()
	if not c then
		return c, why
	end
	return wrap(c)
end

local function new(family, type, proto)
	return function()
		return wrap(socket.new(family, type, proto))
	end
end

inet.tcp = new(af.INET, sock.STREAM, ipproto.TCP)
inet.udp = new(af.INET, sock.DGRAM, ipproto.UDP)
inet.tcp6 = new(af.INET6, sock.STREAM, ipproto.TCP)
inet.udp6 = new(af.INET6, sock.DGRAM, ipproto.UDP)
inet.localhost = "127.0.0.1"
inet.localhost6 = "::1"

return inet
