-- socket.unix: unix sockets bound to, or connected to, a path.
--
--	local unix = require "socket.unix"
--	local s = unix.stream(path)	-- or unix.dgram(path)
--	s:bind()			-- to path; s:connect() connects to it
--	s:send(msg)			-- the socket's methods; a dgram
--					-- s:send(msg) without address goes to
--					-- path if not connected
--
-- A path that starts with "\0" is an abstract name.
local socket = require "socket"

local af, sock = socket.af, socket.sock
local unix = {}
local Unix = require("socket.wrap").class()

function Unix:bind(path)
	return self.sock:bind(path or self.path)
end

function Unix:connect(path)
	local ok, why = self.sock:connect(path or self.path)
	self.connected = ok
	return ok, why
end

function Unix:send(msg, path)
	if not path and not self.connected and self.kind == sock.DGRAM then
		path = self.path
	end
	return self.sock:send(msg, path)
end

function Unix:accept()
	local c, why = self.sock:accept()
	if not c then
		return c, why
	end
	return setmetatable({sock = c, kind = self.kind, connected = true}, Unix)
end

local function new(kind)
	return function(path)
		if path ~= nil and type(path) ~= "string" then
			error("bad argument #1 (path expected)", 2)
		end
		local s = socket.new(af.UNIX, kind, 0)
		return setmetatable({sock = s, path = path, kind = kind}, Unix)
	end
end

unix.stream = new(sock.STREAM)
unix.dgram = new(sock.DGRAM)

return unix
