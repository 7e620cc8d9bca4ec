-- collectgarbage, finalizers, weak tables.
local T = require "ktap"

local gc = collectgarbage

T.test("count", function()
	local before = gc("count")
	T.eq(type(before), "number")
	T.ok(before > 0, "count " .. tostring(before))
	local hold = {}
	for i = 1, 2000 do hold[i] = {i} end
	T.ok(gc("count") > before, "allocation not counted")
	hold = nil
	gc()
	T.eq(hold, nil)
end)

T.test("collect-frees", function()
	gc()
	local base = gc("count")
	do
		local big = {}
		for i = 1, 5000 do big[i] = ("x"):rep(100) .. i end
	end
	gc()
	T.ok(gc("count") < base + 200, "memory not returned: " ..
		tostring(gc("count")) .. " vs " .. tostring(base))
end)

T.test("options", function()
	T.eq(gc("collect"), 0)
	T.eq(type(gc("step")), "boolean")
	T.eq(gc("step", 0) ~= nil, true)
	T.eq(gc("isrunning"), true)
	gc("stop")
	T.eq(gc("isrunning"), false)
	gc("restart")
	T.eq(gc("isrunning"), true)
	T.err(gc, "invalid option", "nonsense")
end)

T.test("modes", function()
	local first = gc("generational")
	T.ok(first == "incremental" or first == "generational", tostring(first))
	T.eq(gc("incremental"), "generational")
	T.eq(gc("incremental"), "incremental")
	if first == "generational" then gc("generational") end
	gc()
end)

local log = {}
local function tracked(name)
	return setmetatable({}, {__gc = function() log[#log + 1] = name end})
end

T.test("finalizer-runs", function()
	log = {}
	do local _ = tracked("a") end
	gc()
	T.same(log, {"a"})
	local keep = tracked("kept")
	gc()
	T.same(log, {"a"}, "live object finalized")
	T.ok(keep)
end)

T.test("finalizer-order", function()
	gc()
	log = {}
	local a, b, c = tracked(1), tracked(2), tracked(3)
	a, b, c = nil, nil, nil
	gc()
	T.same(log, {3, 2, 1})
end)

T.test("gc-field-set-late", function()
	log = {}
	do
		local mt = {}
		local _ = setmetatable({}, mt)
		mt.__gc = function() log[#log + 1] = "late" end
	end
	gc()
	gc()
	T.same(log, {}, "__gc added after setmetatable must not run")
end)

T.test("resurrection", function()
	local saved
	local runs = 0
	do
		local _ = setmetatable({tag = "zombie"}, {__gc = function(o)
			runs = runs + 1
			saved = o
		end})
	end
	gc()
	T.eq(runs, 1)
	T.eq(saved and saved.tag, "zombie")
	saved = nil
	gc()
	gc()
	T.eq(runs, 1, "finalizer runs only once")
end)

T.test("gc-error-ignored", function()
	do
		local _ = setmetatable({}, {__gc = function() error("in gc") end})
	end
	local ok = pcall(gc)
	T.eq(ok, true, "error in __gc must not propagate")
end)

T.test("weak-keys", function()
	local wk = setmetatable({}, {__mode = "k"})
	local live = {}
	wk[live] = "live"
	do wk[{}] = "dead" end
	wk["str"] = "s"
	gc()
	local n = 0
	for _ in pairs(wk) do n = n + 1 end
	T.eq(n, 2)
	T.eq(wk[live], "live")
	T.eq(wk.str, "s")
end)

T.test("weak-values", function()
	local wv = setmetatable({}, {__mode = "v"})
	local live = {}
	wv[1] = live
	wv[2] = {}
	wv[3] = "string values are not collectable"
	wv[4] = 42
	gc()
	T.eq(wv[1], live)
	T.eq(wv[2], nil)
	T.eq(wv[3], "string values are not collectable")
	T.eq(wv[4], 42)
end)

T.test("ephemeron", function()
	local e = setmetatable({}, {__mode = "k"})
	do
		local k = {}
		e[k] = {ref = k}	-- value refers back to its own key
	end
	gc()
	T.eq(next(e), nil)
end)

T.test("weak-cache", function()
	local cache = setmetatable({}, {__mode = "kv"})
	for i = 1, 100 do cache[i] = {} end
	gc()
	T.eq(next(cache), nil)
end)

return T.done()
