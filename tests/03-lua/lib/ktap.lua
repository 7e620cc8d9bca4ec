-- Minimal KTAP v1 producer for the language tests.
--
--   local T = require "ktap"
--   T.test("name", function() T.eq(1 + 1, 2) end)
--   return T.done()
--
-- Every case runs under pcall, so one failure never stops the file.  Results
-- are collected and printed by T.done(), so the plan comes first and is exact.

local T = {}

local cases = {}	-- {name = string, err = nil | string}
local seen = {}

local function show(v)
	if type(v) == "string" then
		return string.format("%q", v)
	end
	return tostring(v)
end

local function fail(msg, level)
	error(msg, (level or 1) + 2)
end

local function prefix(msg)
	return msg and (msg .. ": ") or ""
end

-- Run fn as one case named name.
function T.test(name, fn)
	local err
	if seen[name] then
		err = "duplicate test name"
	else
		local ok, e = pcall(fn)
		if not ok then
			err = type(e) == "string" and e or
				"error object: " .. tostring(e)
		end
	end
	seen[name] = true
	cases[#cases + 1] = {name = name, err = err}
end

function T.ok(cond, msg)
	if not cond then
		fail(msg or "assertion failed")
	end
	return cond
end

-- Raw equality (no __eq), so a metamethod cannot make a test pass by accident;
-- numbers must also print alike (a float 1.0 is not the integer 1).
function T.eq(got, want, msg)
	if not rawequal(got, want) or
	   (type(got) == "number" and tostring(got) ~= tostring(want)) then
		fail(prefix(msg) .. "expected " .. show(want) .. ", got " ..
			show(got))
	end
end

function T.ne(got, unwanted, msg)
	if rawequal(got, unwanted) then
		fail(prefix(msg) .. "did not expect " .. show(got))
	end
end

-- Shallow comparison of two tables: same keys, raw-equal values.
function T.same(got, want, msg)
	if type(got) ~= "table" then
		fail(prefix(msg) .. "expected a table, got " .. show(got))
	end
	for _, pair in ipairs{{want, got}, {got, want}} do
		for k in pairs(pair[1]) do
			if not rawequal(got[k], want[k]) then
				fail(prefix(msg) .. "at [" .. show(k) ..
					"] expected " .. show(want[k]) ..
					", got " .. show(got[k]))
			end
		end
	end
end

-- fn(...) must raise an error; when pattern is given, the (string) error
-- must match it.  Returns the error object.
function T.err(fn, pattern, ...)
	local ok, e = pcall(fn, ...)
	if ok then
		fail("expected an error" ..
			(pattern and (" matching " .. show(pattern)) or ""))
	end
	if pattern and not (type(e) == "string" and e:find(pattern)) then
		fail("error " .. show(e) .. " does not match " .. show(pattern))
	end
	return e
end

-- Print the KTAP document; returns the number of failed cases.
function T.done()
	local failed = 0
	print("KTAP version 1")
	print("1.." .. #cases)
	for i, c in ipairs(cases) do
		if c.err then
			failed = failed + 1
			for line in (c.err .. "\n"):gmatch("(.-)\n") do
				print("# " .. line)
			end
			print("not ok " .. i .. " - " .. c.name)
		else
			print("ok " .. i .. " - " .. c.name)
		end
	end
	print("# " .. (#cases - failed) .. "/" .. #cases .. " passed")
	return failed
end

return T
