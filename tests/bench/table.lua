-- table work: fill, read back, sort
local t = {}
for i = 1, 200000 do
	t[i] = (i * 7919) % 100003
end
local h = {}
for i = 1, #t do
	h[t[i]] = (h[t[i]] or 0) + 1
end
table.sort(t)
assert(t[1] <= t[#t])
