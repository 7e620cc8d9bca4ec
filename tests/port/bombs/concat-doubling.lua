-- expect: not enough memory|too large
local s = "x"
while true do s = s .. s end
