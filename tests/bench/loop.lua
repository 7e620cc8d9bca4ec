-- integer arithmetic in a tight loop
local s = 0
for i = 1, 3000000 do
	s = (s + i * 7) % 1000003
end
assert(s >= 0)
