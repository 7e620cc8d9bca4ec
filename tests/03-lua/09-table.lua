-- Tables and the table library.
local T = require "ktap"

T.test("constructor", function()
	local t = {1, 2, [10] = "x", k = "v"; 3}
	T.eq(t[1], 1)
	T.eq(t[3], 3)
	T.eq(t[10], "x")
	T.eq(t.k, "v")
	local function three() return 7, 8, 9 end
	T.eq(#{three()}, 3)
	T.eq(#{three(), three()}, 4)
	T.eq(#{(three())}, 1)
end)

T.test("keys", function()
	local t = {}
	t[1] = "int"
	t["1"] = "str"
	t[true] = "bool"
	T.eq(t[1], "int")
	T.eq(t["1"], "str")
	T.eq(t[true], "bool")
	T.err(function() t[nil] = 1 end, "index is nil")
	T.eq(t[nil], nil)
end)

T.test("length-border", function()
	T.eq(#{}, 0)
	T.eq(#{1, 2, 3}, 3)
	local t = {}
	for i = 1, 100 do t[i] = i end
	T.eq(#t, 100)
	t[100] = nil
	T.eq(#t, 99)
	local b = #{1, 2, nil, 4}
	T.ok(b == 4 or b == 2, "border " .. b)
end)

T.test("insert-remove", function()
	local t = {}
	table.insert(t, "a")
	table.insert(t, "c")
	table.insert(t, 2, "b")
	T.same(t, {"a", "b", "c"})
	T.eq(table.remove(t), "c")
	T.eq(table.remove(t, 1), "a")
	T.same(t, {"b"})
	T.eq(table.remove({}), nil)
	T.err(table.insert, "position out of bounds", {1}, 5, 2)
	T.err(table.insert, "wrong number of arguments", {}, 1, 2, 3)
	T.err(table.remove, "position out of bounds", {1, 2}, 5)
end)

T.test("concat", function()
	T.eq(table.concat({1, 2, 3}), "123")
	T.eq(table.concat({"a", "b", "c"}, ", "), "a, b, c")
	T.eq(table.concat({"a", "b", "c"}, "-", 2, 3), "b-c")
	T.eq(table.concat({}, "x"), "")
	T.err(table.concat, "invalid value %(table%) at index 2", {1, {}, 3})
end)

T.test("sort", function()
	local t = {5, 2, 8, -1, 0}
	table.sort(t)
	T.same(t, {-1, 0, 2, 5, 8})
	table.sort(t, function(a, b) return a > b end)
	T.same(t, {8, 5, 2, 0, -1})
	local s = {"pear", "Apple", "fig"}
	table.sort(s)
	T.same(s, {"Apple", "fig", "pear"})
	T.err(table.sort, "compare", {1, "x", 2})
	T.err(table.sort, "invalid order function",
		{5, 4, 3, 2, 1, 6, 7, 8, 9, 10, 11, 12}, function() return true end)
end)

T.test("sort-big", function()
	local t, x = {}, 12345
	for i = 1, 1000 do
		x = (x * 1103515245 + 12345) % 2147483648
		t[i] = x % 1000
	end
	table.sort(t)
	for i = 2, #t do
		T.ok(t[i - 1] <= t[i], "order at " .. i)
	end
end)

T.test("pack-unpack", function()
	local p = table.pack(1, nil, 3, nil)
	T.eq(p.n, 4)
	T.eq(p[3], 3)
	T.same({table.unpack({1, 2, 3})}, {1, 2, 3})
	T.same({table.unpack({1, 2, 3}, 2)}, {2, 3})
	T.same({table.unpack({1, 2, 3}, 2, 5)}, {2, 3})
	T.eq(select("#", table.unpack({}, 1, 3)), 3)
	T.eq(select("#", table.unpack({1, 2}, 3, 1)), 0)
	T.err(table.unpack, "too many results", {}, 1, math.maxinteger)
end)

T.test("move", function()
	T.same(table.move({1, 2, 3}, 1, 3, 2), {1, 1, 2, 3})
	T.same(table.move({1, 2, 3}, 2, 3, 1), {2, 3, 3})
	local dst = table.move({1, 2}, 1, 2, 3, {"a", "b"})
	T.same(dst, {"a", "b", 1, 2})
	T.err(table.move, "too many elements", {}, 0, math.maxinteger, 1)
end)

T.test("next-pairs", function()
	local t = {10, 20, x = 1}
	local n, sum = 0, 0
	for k, v in pairs(t) do
		n = n + 1
		sum = sum + v
		T.eq(t[k], v)
	end
	T.eq(n, 3)
	T.eq(sum, 31)
	T.eq(next({}), nil)
	T.err(next, "invalid key to 'next'", {}, "nokey")
end)

T.test("ipairs-stops", function()
	local seen = {}
	for i, v in ipairs({1, 2, nil, 4}) do seen[i] = v end
	T.same(seen, {1, 2})
end)

T.test("clear-during-traversal", function()
	local t = {}
	for i = 1, 50 do t["k" .. i] = i end
	for k in pairs(t) do t[k] = nil end
	T.eq(next(t), nil)
end)

T.test("lib-uses-metamethods", function()
	local backing = {"x", "y", "z"}
	local proxy = setmetatable({}, {
		__index = backing,
		__len = function() return #backing end,
	})
	T.eq(table.concat(proxy, ","), "x,y,z")
	T.same({table.unpack(proxy)}, {"x", "y", "z"})
end)

return T.done()
