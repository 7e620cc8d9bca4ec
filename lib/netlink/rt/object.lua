-- netlink.rt.object: the base of the rtnetlink classes (netlink.rt.route,
-- .link, .addr, .rule), a netlink.session over NETLINK_ROUTE.
--
-- A class gives GET and NEW (its message types), header(family) (the
-- dump request's family header) and decode(body) (a record from a NEW
-- message); object:list([family]) dumps and decodes.  list takes an
-- address family (2: IPv4, 10: IPv6; default every family) or, as
-- upstream's newer form, a table {family = F}.
local session = require "netlink.session"

local object = session:new{proto = 0}	-- NETLINK_ROUTE

-- __call is looked up raw in the metatable: the classes made from object
-- need it there to be callable
object.__call = session.__call

-- the routing table: ids above 255 go in a TABLE attribute, the header
-- then saying RT_TABLE_UNSPEC (0)
object.TABLE_MAX = 255

function object:headertable(tbl)
	return tbl <= self.TABLE_MAX and tbl or 0
end

function object:attrtable(tbl)
	return tbl and tbl > self.TABLE_MAX and tbl or nil
end

local function argerror(fn, i, why)
	error(string.format("bad argument #%d to '%s' (%s)", i, fn, why), 4)
end
object.argerror = argerror

-- opts as a table, checked against the fields a method knows
function object.checkopts(fn, opts, known)
	if type(opts) ~= "table" then
		argerror(fn, 1, "table expected, got " .. type(opts))
	end
	for k, v in pairs(opts) do
		local want = known[k]
		if not want then
			argerror(fn, 1, "unknown field '" .. tostring(k) .. "'")
		end
		local got = want == "integer" and math.type(v) or type(v)
		if got ~= want then
			argerror(fn, 1, "field '" .. k .. "': " .. want ..
				" expected, got " .. (math.type(v) or type(v)))
		end
		if want == "integer" and (v < 0 or v > 0xffffffff) then
			argerror(fn, 1, "field '" .. k .. "': out of range")
		end
	end
	return opts
end

function object.checkfamily(fn, family)
	if type(family) == "table" then
		family = family.family
	end
	family = family or 0
	if math.type(family) ~= "integer" or family < 0 or family > 255 then
		argerror(fn, 1, "invalid address family")
	end
	return family
end

--- o:list([family]) -> {record, ...}
function object:list(family)
	family = object.checkfamily("list", family)
	local out = {}
	for _, m in ipairs(self:dump(self.GET, self:header(family))) do
		if m.type == self.NEW then
			out[#out + 1] = self:decode(m.body)
		end
	end
	return out
end

return object
