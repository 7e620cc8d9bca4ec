-- string work: build, format, search, substitute
local parts = {}
for i = 1, 30000 do
	parts[#parts + 1] = string.format("%d:%x", i, i * 31)
end
local s = table.concat(parts, ",")
local n = 0
for a, b in s:gmatch("(%d+):(%x+)") do
	n = n + #a + #b
end
local r = s:gsub("%d", "x")
assert(n > 0 and #r == #s)
