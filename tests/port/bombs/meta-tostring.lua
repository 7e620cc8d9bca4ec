-- expect: stack overflow|error in error handling
local t = setmetatable({}, {})
getmetatable(t).__tostring = function(o) return tostring(o) end
return tostring(t)
