-- netlink.rt.rule: policy routing rules (FIB rules).
--
--	local rule <close> = require("netlink.rt.rule")()
--	rule:add{table = 1000, priority = 32100}
--	for _, r in ipairs(rule:list(2)) do print(r.priority, r.table) end
--	rule:del{table = 1000, priority = 32100}
--
-- Records: {family, action (FR_ACT_*), flags, table, priority, fwmark};
-- table is the TABLE attribute's, else the header's; a field whose
-- attribute the reply lacks is nil.  add and del take {family (default
-- 2, IPv4), table (default 254, main), priority, fwmark, protocol,
-- action (default 1, to the table)}; add raises "EEXIST" for a rule that
-- exists, del "ENOENT" for none.
local object = require "netlink.rt.object"
local message = require "netlink.message"

local RTM_NEWRULE, RTM_DELRULE, RTM_GETRULE = 32, 33, 34
local FRA_PRIORITY, FRA_FWMARK, FRA_TABLE, FRA_PROTOCOL = 6, 10, 15, 21
local NLM_F_EXCL, NLM_F_CREATE = 0x200, 0x400
local RT_TABLE_MAIN, FR_ACT_TO_TBL = 254, 1
-- family, dst_len, src_len, tos, table, res1, res2, action, flags
local FIBHDR = "=BBBBBBBBI4"
local FIBHDR_LEN = 12

local rule = object:new{GET = RTM_GETRULE, NEW = RTM_NEWRULE,
	DEL = RTM_DELRULE}
rule.__call = object.__call

function rule:header(family)
	return string.pack(FIBHDR, family or 0, 0, 0, 0, 0, 0, 0, 0, 0)
end

function rule:decode(body)
	local family, _, _, _, tbl, _, _, action, flags =
		string.unpack(FIBHDR, body)
	local a = message.parseattrs(body, FIBHDR_LEN + 1)
	return {family = family, action = action, flags = flags,
		table = message.u32(a[FRA_TABLE]) or tbl,
		priority = message.u32(a[FRA_PRIORITY]),
		fwmark = message.u32(a[FRA_FWMARK])}
end

local OPTS = {family = "integer", table = "integer", priority = "integer",
	fwmark = "integer", protocol = "integer", action = "integer"}

local function request(self, fn, opts)
	object.checkopts(fn, opts, OPTS)
	local family = opts.family or 2
	if family ~= 2 and family ~= 10 then
		object.argerror(fn, 1, "field 'family': 2 (IPv4) or 10 (IPv6) expected")
	end
	for _, k in ipairs{"protocol", "action"} do
		if opts[k] and opts[k] > 255 then
			object.argerror(fn, 1, "field '" .. k .. "': out of range")
		end
	end
	local tbl = opts.table or RT_TABLE_MAIN
	return string.pack(FIBHDR, family, 0, 0, 0, self:headertable(tbl), 0,
		0, opts.action or FR_ACT_TO_TBL, 0) .. message.attrs{
		[FRA_TABLE] = self:attrtable(tbl),
		[FRA_PRIORITY] = opts.priority, [FRA_FWMARK] = opts.fwmark,
		[FRA_PROTOCOL] = opts.protocol and string.pack("B", opts.protocol)}
end

--- rule:add(opts)
function rule:add(opts)
	self:talk(self.NEW, NLM_F_CREATE | NLM_F_EXCL,
		request(self, "add", opts))
end

--- rule:del(opts)
function rule:del(opts)
	self:talk(self.DEL, 0, request(self, "del", opts))
end

return rule
