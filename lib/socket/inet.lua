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
-- IPv4 addresses come back dotted (getsockname, getpeername, getaddr,
-- receivefrom), accept() returns a socket that does the same, bind("*",
-- port) binds to every address of the family, and sendto is send.
local socket = require "socket"
local net = require "net"

local af, sock, ipproto = socket.af, socket.sock, socket.ipproto
local inet = {}
local wrap = require "socket.wrap"
local Inet = wrap.class()

local function dotted(addr, ...)
	if math.type(addr) == "integer" then
		return net.ntoa(addr), ...
	end
	return addr, ...
end

local function new(s, family)
	return wrap.new(Inet, s, {family = family})
end

-- s:bind(addr, port): "*" is INADDR_ANY (in6addr_any for IPv6)
function Inet:bind(addr, ...)
	if addr == "*" then
		addr = self.family == af.INET6 and "::" or "0.0.0.0"
	end
	return self.sock:bind(addr, ...)
end

-- s:getaddr(what) -> addr, port: what is "sockname" or "peername"
function Inet:getaddr(what)
	if what ~= "sockname" and what ~= "peername" then
		error("bad argument #1 to 'getaddr' (\"sockname\" or \"peername\" expected)", 2)
	end
	return dotted(self.sock["get" .. what](self.sock))
end

function Inet:getsockname()
	return dotted(self.sock:getsockname())
end

function Inet:getpeername()
	return dotted(self.sock:getpeername())
end

Inet.sendto = Inet.send

-- s:receivefrom(len[, flags]) -> msg, addr, port; raises as receive does
function Inet:receivefrom(len, flags)
	local msg, addr, port = self.sock:receive(len, flags, true)
	return msg, dotted(addr, port)
end

-- s:tryreceivefrom(len[, flags]) -> msg, addr, port (or nil, why)
function Inet:tryreceivefrom(len, flags)
	local msg, addr, port = self.sock:tryreceive(len, flags, true)
	if not msg then
		return msg, addr
	end
	return msg, dotted(addr, port)
end

function Inet:accept(flags)
	return new(self.sock:accept(flags), self.family)
end

function Inet:tryaccept(flags)
	local c, why = self.sock:tryaccept(flags)
	if not c then
		return c, why
	end
	return new(c, self.family)
end

local function maker(family, type, proto)
	return function()
		return new(socket.new(family, type, proto), family)
	end
end

inet.tcp = maker(af.INET, sock.STREAM, ipproto.TCP)
inet.udp = maker(af.INET, sock.DGRAM, ipproto.UDP)
inet.tcp6 = maker(af.INET6, sock.STREAM, ipproto.TCP)
inet.udp6 = maker(af.INET6, sock.DGRAM, ipproto.UDP)
inet.localhost = "127.0.0.1"
inet.localhost6 = "::1"

return inet
