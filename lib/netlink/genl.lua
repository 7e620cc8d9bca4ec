-- netlink.genl: generic netlink requests (NETLINK_GENERIC), a
-- netlink.session class.
--
--	local genl = require "netlink.genl"
--	local g <close> = genl()
--	local fid = g:family("nlctrl")			-- 16
--	for _, m in ipairs(g:dump(fid, 3)) do		-- CTRL_CMD_GETFAMILY
--		print(m.cmd, message.str(m.attrs[2]))	-- CTRL_ATTR_FAMILY_NAME
--	end
--	g:call(fid, cmd[, flags[, payload]])	-- waits for the ack
--
-- call, talk and dump put a struct genlmsghdr (cmd, version 1) before
-- the payload (attributes, as netlink.message.attrs packs them) and
-- return the replies but the control ones (acks, NLMSG_DONE) as
-- {cmd, version, attrs}, attrs parsed from right after the genl header.
-- family(name) is the id of a family; one the kernel does not know raises
-- "netlink.genl: no family 'NAME' (ENOENT)" (a name too long to be one:
-- "... (a name is 1 to 15 bytes)").  Errors otherwise as the
-- session's: the errno's name.
local session = require "netlink.session"
local message = require "netlink.message"

local genl = session:new{proto = 16}	-- NETLINK_GENERIC

local GENLHDR = "=BBI2"	-- cmd, version, reserved
local GENL_HDRLEN = 4
local VERSION = 1
local GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 16, 3
local CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2

genl.CTRL = GENL_ID_CTRL

local function header(fn, fid, cmd, payload)
	for i, v in ipairs{fid, cmd} do
		if math.type(v) ~= "integer" then
			error(string.format("bad argument #%d to '%s' (integer expected, got %s)",
				i, fn, math.type(v) or type(v)), 3)
		end
	end
	if cmd < 0 or cmd > 255 then
		error("bad argument #2 to '" .. fn .. "' (command out of range (0 to 255))", 3)
	end
	if payload ~= nil and type(payload) ~= "string" then
		error("bad argument #3 to '" .. fn .. "' (string expected, got " ..
			type(payload) .. ")", 3)
	end
	return string.pack(GENLHDR, cmd, VERSION, 0) .. (payload or "")
end

-- NLMSG_NOOP, ERROR, DONE, OVERRUN
local function control(mtype)
	return mtype >= 1 and mtype <= 4
end

local function decode(replies)
	local out = {}
	for _, m in ipairs(replies) do
		if not control(m.type) and #m.body >= GENL_HDRLEN then
			local cmd, version = string.unpack(GENLHDR, m.body)
			out[#out + 1] = {cmd = cmd, version = version,
				attrs = message.parseattrs(m.body, GENL_HDRLEN + 1)}
		end
	end
	return out
end

--- g:call(fid, cmd[, flags[, payload]]) -> {{cmd, version, attrs}, ...}
function genl:call(fid, cmd, flags, payload)
	if type(flags) == "string" and payload == nil then
		flags, payload = nil, flags
	end
	return decode(session.talk(self, fid, flags,
		header("call", fid, cmd, payload)))
end

--- g:talk(fid, cmd[, payload[, flags]]): call, its payload first
function genl:talk(fid, cmd, payload, flags)
	return decode(session.talk(self, fid, flags,
		header("talk", fid, cmd, payload)))
end

--- g:dump(fid, cmd[, payload]) -> {{cmd, version, attrs}, ...}
function genl:dump(fid, cmd, payload)
	return decode(session.dump(self, fid, header("dump", fid, cmd, payload)))
end

--- g:family(name) -> the family's id
function genl:family(name)
	if type(name) ~= "string" then
		error("bad argument #1 to 'family' (string expected, got " ..
			type(name) .. ")", 2)
	end
	-- the controller refuses a name past GENL_NAMSIZ with EINVAL
	if #name < 1 or #name > 15 or name:find("\0", 1, true) then
		error("netlink.genl: no family '" .. name ..
			"' (a name is 1 to 15 bytes)", 2)
	end
	local ok, replies = pcall(self.call, self, GENL_ID_CTRL,
		CTRL_CMD_GETFAMILY, nil,
		message.attrs{[CTRL_ATTR_FAMILY_NAME] = name .. "\0"})
	if not ok then
		if replies == "ENOENT" then
			error("netlink.genl: no family '" .. name .. "' (ENOENT)", 2)
		end
		error(replies, 0)
	end
	for _, m in ipairs(replies) do
		local id = message.u16(m.attrs[CTRL_ATTR_FAMILY_ID])
		if id then
			return id
		end
	end
	error("netlink.genl: no family '" .. name .. "'", 2)
end

return genl
