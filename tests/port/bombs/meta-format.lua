-- expect: stack overflow|error in error handling
local t = setmetatable({}, {})
getmetatable(t).__tostring = function(o) return string.format("%s%s", "x", o) end
return tostring(t)
