-- class: prototype objects for scripts in upstream's style.
--
--	local class = require "class"
--	local Counter = class { n = 0 }
--	function Counter:inc() self.n = self.n + 1 end
--	local c = Counter:new()		-- or Counter:new { n = 10 }
--	c:inc()
--
-- A class is its own metatable: fields and methods not in the object are
-- looked up in the class, and a close method serves <close> variables.
-- Sub-classes are objects of a class that get methods of their own:
--
--	local Sub = Counter:new()
--	function Sub:dec() self.n = self.n - 1 end
--	local s = Sub:new()
local function opttable(v, fn)
	if v ~= nil and type(v) ~= "table" then
		error("bad argument #1 to '" .. fn .. "' (table expected, got " ..
			type(v) .. ")", 3)
	end
	return v or {}
end

local function new(self, o)
	o = opttable(o, "new")
	self.__index = self
	self.__close = self.close
	return setmetatable(o, self)
end

return function (c)
	c = opttable(c, "class")
	c.new = new
	return c
end
