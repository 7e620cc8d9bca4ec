-- socket.unix: unix sockets bound to, or connected to, a path.
--
--	local unix = require "socket.unix"
--	local s = unix.stream(path)	-- or unix.dgram(path)
--	s:bind()			-- to path; s:connect() connects to it
--	s:send(msg)			-- the socket's methods; a dgram
--					-- s:send(msg) without address goes to
--					-- path if not connected
--	local msg, from = s:receivefrom(100)	-- dgram; s:sendto(msg[, p])
--
-- A path that starts with "\0" is an abstract name.
local socket = require "socket"

local af, sock = socket.af, socket.sock
local unix = {}
local wrap = require "socket.wrap"
local Unix = wrap.class()

function Unix:bind(path)
	return self.sock:bind(path or self.path)
end

-- s:connect([path[, flags]]) -> true; raises as the socket's connect
function Unix:connect(path, flags)
	self.sock:connect(path or self.path, flags)
	self.connected = true
	return true
end

function Unix:tryconnect(path, flags)
	local ok, why = self.sock:tryconnect(path or self.path, flags)
	self.connected = ok
	return ok, why
end

function Unix:send(msg, path)
	if not path and not self.connected and self.kind == sock.DGRAM then
		path = self.path
	end
	return self.sock:send(msg, path)
end

-- s:sendto(msg[, path]): to path, else to the helper's path (if any)
function Unix:sendto(msg, path)
	return self.sock:send(msg, path or self.path)
end

-- s:receivefrom(len[, flags]) -> msg, the sender's path
function Unix:receivefrom(len, flags)
	return self.sock:receive(len, flags, true)
end

function Unix:tryreceivefrom(len, flags)
	return self.sock:tryreceive(len, flags, true)
end

local function accepted(self, c)
	return wrap.new(Unix, c, {kind = self.kind, connected = true})
end

function Unix:accept(flags)
	return accepted(self, self.sock:accept(flags))
end

function Unix:tryaccept(flags)
	local c, why = self.sock:tryaccept(flags)
	if not c then
		return c, why
	end
	return accepted(self, c)
end

local function new(kind)
	return function(path)
		if path ~= nil and type(path) ~= "string" then
			error("bad argument #1 (path expected)", 2)
		end
		local s = socket.new(af.UNIX, kind, 0)
		return wrap.new(Unix, s, {path = path, kind = kind})
	end
end

unix.stream = new(sock.STREAM)
unix.dgram = new(sock.DGRAM)

return unix
