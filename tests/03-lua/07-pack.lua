-- string.pack / unpack / packsize with integer and string formats.
local T = require "ktap"

local pack, unpack, size = string.pack, string.unpack, string.packsize

T.test("bytes", function()
	T.eq(pack("b", -1), "\xff")
	T.eq(pack("B", 200), "\200")
	T.eq(unpack("b", "\xff"), -1)
	T.eq(unpack("B", "\xff"), 255)
	T.err(pack, "overflow", "b", 128)
	T.err(pack, "overflow", "B", 256)
end)

T.test("endianness", function()
	T.eq(pack("<i4", 0x01020304), "\4\3\2\1")
	T.eq(pack(">i4", 0x01020304), "\1\2\3\4")
	T.eq(pack(">I2<I2", 0x0102, 0x0102), "\1\2\2\1")
	T.eq(unpack(">i2", "\xff\xfe"), -2)
	T.eq(unpack("<I2", "\xff\xfe"), 0xfeff)
	local native = pack("=i4", 1)
	T.ok(native == pack("<i4", 1) or native == pack(">i4", 1), "native")
end)

T.test("sizes", function()
	T.eq(size("i1i2i4i8"), 15)
	T.eq(size("j"), 8)
	T.eq(size("J"), 8)
	T.eq(size("c10"), 10)
	T.eq(size("i3"), 3)
	T.eq(size("!8i1i8"), 16)
	T.err(size, "variable%-length", "s")
	T.err(size, "variable%-length", "z")
	T.err(size, "out of limits", "i17")
end)

T.test("wide-ints", function()
	T.eq(unpack("<i8", pack("<i8", math.mininteger)), math.mininteger)
	T.eq(unpack("<j", pack("<j", math.maxinteger)), math.maxinteger)
	T.eq(unpack("<I3", "\1\2\3"), 0x030201)
	T.eq(unpack("<i3", "\0\0\x80"), -0x800000)
	T.eq(pack("<i16", -2), "\xfe" .. ("\xff"):rep(15))
	T.eq(unpack("<i16", "\xfe" .. ("\xff"):rep(15)), -2)
	T.err(unpack, "does not fit", "<i9", "\0\0\0\0\0\0\0\0\1")
end)

T.test("alignment", function()
	T.eq(pack("!4 i1 i4", 1, 2), "\1\0\0\0" .. pack("i4", 2))
	T.eq(#pack("!2 i1 i8", 1, 2), 10)
	T.eq(pack("<i1 x i1", 1, 2), "\1\0\2")
	T.eq(pack("<!8 i1 Xi2 i1", 1, 2), "\1\0\2")
	T.eq(pack("<!8 i1 i1", 1, 2), "\1\2")
	T.err(pack, "power of 2", "!3 i4", 1)
	T.err(pack, "invalid next option", "X", 1)
end)

T.test("strings", function()
	T.eq(pack("z", "ab"), "ab\0")
	T.eq(pack("s1", "ab"), "\2ab")
	T.eq(pack("<s2", "ab"), "\2\0ab")
	T.eq(pack("c4", "ab"), "ab\0\0")
	T.same({unpack("z z", "ab\0c\0")}, {"ab", "c", 6})
	T.same({unpack("s1", "\3xyzW")}, {"xyz", 5})
	T.eq(unpack("c2", "hello"), "he")
	T.err(pack, "contains zeros", "z", "a\0b")
	T.err(pack, "longer than", "c1", "ab")
	T.err(pack, "does not fit", "s1", ("x"):rep(256))
end)

T.test("unpack-pos", function()
	local data = pack(">i2 i2 i2", 1, 2, 3)
	T.same({unpack(">i2", data, 3)}, {2, 5})
	T.same({unpack(">i2", data, -2)}, {3, 7})
	T.err(unpack, "data string too short", ">i2", data, 6)
	T.err(unpack, "out of string", ">i2", data, 10)
	T.err(unpack, "unfinished string", "z", "abc")
end)

T.test("roundtrip", function()
	local fmt = "< b B h H i I l L j J i3"
	local vals = {-1, 255, -300, 65535, -70000, 4000000000, -5,
		123456789, math.mininteger, -1, -8388608}
	local got = {unpack(fmt, pack(fmt, table.unpack(vals)))}
	got[#got] = nil
	T.same(got, vals)
end)

T.test("no-float-formats", function()
	T.err(pack, nil, "f", 1)
	T.err(pack, nil, "d", 1)
	T.err(pack, nil, "n", 1)
	T.err(unpack, nil, "d", ("\0"):rep(8))
	T.err(size, nil, "f")
	T.err(size, nil, "n")
end)

T.test("bad-options", function()
	T.err(pack, "invalid format option", "y", 1)
	T.err(pack, "bad argument #2", "i4", "x")
	T.err(pack, "bad argument #2", "i4")
end)

return T.done()
