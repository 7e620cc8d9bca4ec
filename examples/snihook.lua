-- /lib/modules/lua/snihook.lua: drops TLS ClientHellos for listed servers
-- usage: $ sudo lunatik run snihook softirq
--        $ wget https://blocked.example/   # the handshake never completes
--        $ sudo lunatik exec snihook 'blocklist["tracker.example"] = true'
--        $ sudo lunatik stop snihook
--
-- Looks at TCP segments, IPv4 and IPv6, sent by this host (LOCAL_OUT) or
-- coming in from elsewhere (PRE_ROUTING), and drops one that carries a TLS
-- ClientHello whose server_name (SNI) is in `blocklist`, or a subdomain of
-- a listed name.  Every length in the hello is checked against what the
-- segment holds: a hello split over segments is read as far as this one
-- goes.  Anything else is let through: other segments, malformed hellos,
-- IPv6 extension headers, encrypted ClientHellos.
local nf = require("netfilter")

local A = nf.action

-- the server names to block: edit here, or at run time with `lunatik exec`
blocklist = {
	["blocked.example"] = true,
	["ads.example.com"] = true,
}

local TCP = 6
local HANDSHAKE, CLIENT_HELLO, SERVER_NAME, HOST_NAME = 22, 1, 0, 0

local function u16(d, off)
	return d:getbyte(off) << 8 | d:getbyte(off + 1)
end

-- the offset of the TCP payload in view d of n bytes, or nil
local function payload(d, n)
	if n < 1 then return end
	local v, t = d:getbyte(0) >> 4, nil
	if v == 4 then
		if n < 20 or d:getbyte(9) ~= TCP then return end
		if u16(d, 6) & 0x1fff ~= 0 then return end -- not a first fragment
		t = (d:getbyte(0) & 15) * 4
		if t < 20 then return end
	elseif v == 6 and n >= 40 and d:getbyte(6) == TCP then
		t = 40
	else
		return
	end
	if t + 20 > n then return end
	local doff = (d:getbyte(t + 12) >> 4) * 4
	if doff < 20 or t + doff >= n then return end
	return t + doff
end

-- the host name in the server_name extension at [p, e), or nil
local function hostname(d, p, e)
	if p + 2 > e then return end
	e = math.min(e, p + 2 + u16(d, p))
	p = p + 2
	while p + 3 <= e do
		local len = u16(d, p + 1)
		if p + 3 + len > e then return end
		if d:getbyte(p) == HOST_NAME then
			return d:getstring(p + 3, len)
		end
		p = p + 3 + len
	end
end

-- the SNI of the ClientHello at p in view d of n bytes, or nil; each
-- length is cut to its enclosing one and to the segment's end (limit)
local function sni(d, n, p)
	if p + 9 > n or d:getbyte(p) ~= HANDSHAKE or d:getbyte(p + 1) ~= 3 or
	   d:getbyte(p + 5) ~= CLIENT_HELLO then
		return
	end
	local limit = math.min(n, p + 5 + u16(d, p + 3))
	limit = math.min(limit, p + 9 + (d:getbyte(p + 6) << 16 | u16(d, p + 7)))
	p = p + 9 + 2 + 32 -- version, random
	if p + 1 > limit then return end
	p = p + 1 + d:getbyte(p) -- session id
	if p + 2 > limit then return end
	p = p + 2 + u16(d, p) -- cipher suites
	if p + 1 > limit then return end
	p = p + 1 + d:getbyte(p) -- compression methods
	if p + 2 > limit then return end
	local e = math.min(limit, p + 2 + u16(d, p))
	p = p + 2
	while p + 4 <= e do
		local t, len = u16(d, p), u16(d, p + 2)
		if p + 4 + len > e then return end
		if t == SERVER_NAME then
			return hostname(d, p + 4, p + 4 + len)
		end
		p = p + 4 + len
	end
end

local function listed(name)
	while name do
		if blocklist[name] then return true end
		name = name:match("^[^.]*%.(.+)$")
	end
	return false
end

local function filter(skb)
	local d = skb:data()
	local n = #d
	local p = payload(d, n)
	local name = p and sni(d, n, p)
	if name and listed((name:lower():gsub("%.$", ""))) then
		return A.DROP
	end
	return A.ACCEPT
end

local names = {}
for name in pairs(blocklist) do
	names[#names + 1] = name
end
for _, name in ipairs(names) do
	blocklist[name] = nil
	blocklist[name:lower():gsub("%.$", "")] = true
end

out = nf.register{pf = nf.family.INET, hooknum = nf.inet_hooks.LOCAL_OUT,
	priority = nf.ip_priority.FILTER, hook = filter}
inbound = nf.register{pf = nf.family.INET,
	hooknum = nf.inet_hooks.PRE_ROUTING, priority = nf.ip_priority.FILTER,
	hook = filter}
