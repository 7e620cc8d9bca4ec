-- io file handles: modes, io.type, errors, <close>, large files.  /tmp
-- exists in the VM and on the host; without os.remove the file is simply
-- overwritten on the next run.
local T = require "ktap"

local path = "/tmp/lunatik-test-iofile.txt"

local function write(s)
	local f = assert(io.open(path, "w"))
	T.eq(f:write(s), f, "write returns the file")
	T.ok(f:close())
end

T.test("modes", function()
	write("abc")
	local f = assert(io.open(path, "a"))
	f:write("def", 12)
	f:close()
	f = assert(io.open(path, "r+"))
	f:write("X")
	f:seek("set", 0)
	T.eq(f:read("a"), "Xbcdef12")
	f:close()
	f = assert(io.open(path, "w+"))
	f:write("new")
	f:seek("set")
	T.eq(f:read("a"), "new")
	T.ok(f:flush())
	f:close()
	T.err(io.open, "invalid mode", path, "rz")
end)

T.test("io-type", function()
	write("")
	local f = assert(io.open(path))
	T.eq(io.type(f), "file")
	T.ok(tostring(f):find("^file %("), tostring(f))
	f:close()
	T.eq(io.type(f), "closed file")
	T.eq(tostring(f), "file (closed)")
	T.eq(io.type(42), nil)
	T.eq(io.type({}), nil)
end)

T.test("closed-errors", function()
	local f = assert(io.open(path))
	T.ok(io.close(f))
	T.err(f.read, "attempt to use a closed file", f)
	T.err(f.write, "attempt to use a closed file", f, "x")
	T.err(f.seek, "attempt to use a closed file", f)
	T.err(f.close, "attempt to use a closed file", f)
	T.err(function() for _ in f:lines() do end end, "closed file")
end)

T.test("open-missing", function()
	local f, msg, code = io.open("/nonexistent/lunatik/file")
	T.eq(f, nil)
	T.ok(msg:find("No such file or directory"), msg)
	T.eq(code, 2)
end)

T.test("open-directory", function()
	local f, msg, code = io.open("/tmp")
	T.eq(f, nil, "a directory is not a regular file")
	T.eq(type(msg), "string")
	T.eq(type(code), "number")
end)

T.test("write-errors", function()
	local f = assert(io.open(path, "w"))
	T.err(f.write, "string expected", f, {})
	f:close()
	local r = assert(io.open(path, "r"))
	local ok, msg = r:write("x")
	T.eq(ok, nil, "writing a read-only file must fail")
	T.eq(type(msg), "string")
	r:close()
end)

T.test("close-variable", function()
	local keep
	do
		local f <close> = assert(io.open(path, "w"))
		keep = f
		f:write("closed by scope")
	end
	T.eq(io.type(keep), "closed file")
	T.eq(io.lines(path)(), "closed by scope")
end)

T.test("large", function()
	local chunk = ("0123456789abcdef"):rep(64)	-- 1 KiB
	local f = assert(io.open(path, "w"))
	for _ = 1, 128 do f:write(chunk) end
	f:close()
	f = assert(io.open(path))
	local all = f:read("a")
	f:close()
	T.eq(#all, 128 * 1024)
	T.eq(all:sub(-16), "0123456789abcdef")
end)

return T.done()
