-- io on regular files: read formats, lines, seek.  /tmp exists in the VM
-- and on the host; without os.remove the file is simply overwritten on the
-- next run.
local T = require "ktap"

local path = "/tmp/lunatik-test-io.txt"
local content = "first line\nsecond\n  42 -7 0x1F nope\nlast"

local function write(s)
	local f = assert(io.open(path, "w"))
	T.eq(f:write(s), f, "write returns the file")
	T.ok(f:close())
end

T.test("write-read-all", function()
	write(content)
	local f = assert(io.open(path))
	T.eq(f:read("a"), content)
	T.eq(f:read("a"), "", "'a' at EOF gives the empty string")
	T.eq(f:read("l"), nil)
	f:close()
end)

T.test("read-l-L", function()
	write(content)
	local f = assert(io.open(path, "r"))
	T.eq(f:read("l"), "first line")
	T.eq(f:read("L"), "second\n")
	T.eq(f:read(), "  42 -7 0x1F nope", "default format is 'l'")
	T.eq(f:read("L"), "last", "last line without newline")
	T.eq(f:read("L"), nil)
	f:close()
end)

T.test("read-n", function()
	write(content)
	local f = assert(io.open(path))
	f:read("l", "l")
	T.same({f:read("n", "n", "n")}, {42, -7, 31})
	T.eq(f:read("n"), nil, "not a number")
	T.eq(f:read("l"), "nope", "nothing consumed beyond the failed number")
	f:close()
end)

T.test("read-counts", function()
	write("abcdef")
	local f = assert(io.open(path))
	T.eq(f:read(2), "ab")
	T.same({f:read(1, 2)}, {"c", "de"})
	T.eq(f:read(0), "", "0 before EOF")
	T.eq(f:read(10), "f")
	T.eq(f:read(0), nil, "0 at EOF")
	T.eq(f:read(1), nil)
	f:close()
end)

T.test("read-bad-format", function()
	write("x")
	local f = assert(io.open(path))
	T.err(f.read, "invalid format", f, "z")
	f:close()
end)

T.test("lines", function()
	write("a\nb\n\nc")
	local got = {}
	for l in io.lines(path) do got[#got + 1] = l end
	T.same(got, {"a", "b", "", "c"})
	got = {}
	for l in io.lines(path, "L") do got[#got + 1] = l end
	T.same(got, {"a\n", "b\n", "\n", "c"})
	got = {}
	for a, b in io.lines(path, 1, 2) do got[#got + 1] = a .. "|" .. b end
	T.same(got, {"a|\nb", "\n|\nc"})
	T.err(io.lines, "No such file", "/nonexistent/lunatik")
end)

T.test("file-lines", function()
	write("1\n2\n3\n")
	local f = assert(io.open(path))
	local sum = 0
	for n in f:lines("n") do sum = sum + n end
	T.eq(sum, 6)
	T.eq(io.type(f), "file", "f:lines does not close the file")
	f:close()
end)

T.test("seek", function()
	write("0123456789")
	local f = assert(io.open(path))
	T.eq(f:seek("end"), 10)
	T.eq(f:seek("set", 3), 3)
	T.eq(f:read(2), "34")
	T.eq(f:seek("cur"), 5)
	T.eq(f:seek("cur", -2), 3)
	T.eq(f:read(1), "3")
	T.eq(f:seek("end", -1), 9)
	T.eq(f:read("a"), "9")
	T.eq(f:seek(), 10)
	T.err(f.seek, "invalid option", f, "bogus")
	f:close()
end)

return T.done()
