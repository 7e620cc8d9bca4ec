-- expect: not enough memory
local t = {}
for i = 1, 100000 do t[i] = ("y"):rep(100) end
return table.concat(t)
