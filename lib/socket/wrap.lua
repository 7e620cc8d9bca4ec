-- socket.wrap: the base of the objects socket.inet and socket.unix return,
-- tables {sock = s, socket = s} (socket: upstream's name for the field)
-- whose methods call the socket's (so that errors name the method).
-- wrap.class() returns a new class to add methods to; wrap.new(C, s, t)
-- makes t (a new table by default) an object of C around socket s.
local wrap = {}

function wrap.class()
	local C = {}
	C.__index = C
	function C:__close() return self.sock:close() end
	function C:__tostring() return tostring(self.sock) end
	function C:bind(...) return self.sock:bind(...) end
	function C:listen(...) return self.sock:listen(...) end
	function C:connect(...) return self.sock:connect(...) end
	function C:tryconnect(...) return self.sock:tryconnect(...) end
	function C:accept(...) return self.sock:accept(...) end
	function C:tryaccept(...) return self.sock:tryaccept(...) end
	function C:send(...) return self.sock:send(...) end
	function C:receive(...) return self.sock:receive(...) end
	function C:tryreceive(...) return self.sock:tryreceive(...) end
	function C:getsockname() return self.sock:getsockname() end
	function C:getpeername() return self.sock:getpeername() end
	function C:setsockopt(...) return self.sock:setsockopt(...) end
	function C:getsockopt(...) return self.sock:getsockopt(...) end
	function C:close() return self.sock:close() end
	function C:stop() return self.sock:stop() end
	return C
end

function wrap.new(C, s, t)
	t = t or {}
	t.sock, t.socket = s, s
	return setmetatable(t, C)
end

return wrap
