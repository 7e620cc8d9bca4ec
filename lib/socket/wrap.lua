-- socket.wrap: the base of the objects socket.inet and socket.unix return,
-- tables {sock = s} whose methods call the socket's (so that errors name
-- the method).  wrap.class() returns a new class to add methods to.
local wrap = {}

function wrap.class()
	local C = {}
	C.__index = C
	function C:__close() return self.sock:close() end
	function C:__tostring() return tostring(self.sock) end
	function C:bind(...) return self.sock:bind(...) end
	function C:listen(...) return self.sock:listen(...) end
	function C:connect(...) return self.sock:connect(...) end
	function C:accept(...) return self.sock:accept(...) end
	function C:send(...) return self.sock:send(...) end
	function C:receive(...) return self.sock:receive(...) end
	function C:getsockname() return self.sock:getsockname() end
	function C:getpeername() return self.sock:getpeername() end
	function C:setsockopt(...) return self.sock:setsockopt(...) end
	function C:getsockopt(...) return self.sock:getsockopt(...) end
	function C:close() return self.sock:close() end
	function C:stop() return self.sock:stop() end
	return C
end

return wrap
