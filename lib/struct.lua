-- struct: pack and unpack C structs from the layouts of linux.<name>
-- (layout = {size =, fields = {{name =, offset =, size =, signed =}, ...}}).
--
--	local struct = require "struct"
--	local hdr = struct(require("linux.netlink").layout.nlmsghdr)
--	local bytes = hdr:pack(len, type, flags, seq, pid)	-- hdr.size bytes
--	local len, type = hdr:unpack(bytes)	-- the fields, then the next pos
--	hdr:fieldsize("nlmsg_len")		-- 4; nil for no such field
--
-- Fields go in offset order, in host byte order; padding between and
-- after them is zero when packed and skipped when unpacked.
local codec = {}
codec.__index = codec

local function check_layout(layout)
	if type(layout) ~= "table" then
		error("bad argument #1 to 'struct' (layout table expected, got " ..
			type(layout) .. ")", 3)
	end
	if math.type(layout.size) ~= "integer" or layout.size < 0 or
	   type(layout.fields) ~= "table" then
		error("bad argument #1 to 'struct' (layout needs an integer size and a fields table)", 3)
	end
	for i, f in ipairs(layout.fields) do
		if type(f) ~= "table" or math.type(f.offset) ~= "integer" or
		   f.offset < 0 or math.type(f.size) ~= "integer" or
		   f.size < 1 or f.size > 8 then
			error("bad argument #1 to 'struct' (field " .. i ..
				" needs an offset and a size of 1 to 8 bytes)", 3)
		end
	end
end

local function format_of(layout)
	local fields = table.move(layout.fields, 1, #layout.fields, 1, {})
	table.sort(fields, function (a, b) return a.offset < b.offset end)
	local fmt, pos = { "=" }, 0
	for _, f in ipairs(fields) do
		if f.offset > pos then
			fmt[#fmt + 1] = string.rep("x", f.offset - pos)
		end
		fmt[#fmt + 1] = (f.signed and "i" or "I") .. f.size
		pos = f.offset + f.size
	end
	if layout.size > pos then
		fmt[#fmt + 1] = string.rep("x", layout.size - pos)
	end
	return table.concat(fmt)
end

function codec:pack(...)
	return string.pack(self.format, ...)
end

function codec:unpack(buf, pos)
	return string.unpack(self.format, buf, pos)
end

function codec:fieldsize(name)
	for _, f in ipairs(self.layout.fields) do
		if f.name == name then
			return f.size
		end
	end
	return nil
end

return function (layout)
	check_layout(layout)
	local fmt = format_of(layout)
	if string.packsize(fmt) ~= layout.size then
		error("struct: derived format does not match the layout size (overlapping fields?)", 2)
	end
	return setmetatable({ format = fmt, size = layout.size,
		layout = layout }, codec)
end
