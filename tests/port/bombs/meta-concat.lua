-- expect: stack overflow|error in error handling
local mt = {}
mt.__concat = function(a, b) return a .. b end
local a = setmetatable({}, mt)
return a .. "x"
