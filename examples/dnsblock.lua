-- /lib/modules/lua/dnsblock.lua: drops DNS queries for listed names
-- usage: $ sudo lunatik run dnsblock softirq
--        $ nslookup ads.example.com 192.0.2.53   # no answer comes
--        $ sudo lunatik exec dnsblock 'blocklist["tracker.example"] = true'
--        $ sudo lunatik stop dnsblock
--
-- Looks at UDP datagrams to port 53 sent by this host (LOCAL_OUT) or
-- coming in from elsewhere (PRE_ROUTING, so also those it forwards), IPv4
-- and IPv6, and drops a query whose name, or a parent domain of it, is in
-- `blocklist`: listing "example.com" blocks "ads.example.com" too.  Names
-- are compared in lower case, without a trailing dot.  Anything it cannot
-- parse is let through: DNS over TCP, IPv6 extension headers, fragments,
-- malformed queries.  On loopback a datagram passes both hooks.
local nf = require("netfilter")

local A = nf.action

-- the names to block: edit here, or at run time with `lunatik exec`
-- (the runtime's lock keeps the hooks out while the chunk runs)
blocklist = {
	["blocked.example"] = true,
	["ads.example.com"] = true,
}

local UDP, DNS = 17, 53
local MAXNAME = 255 -- bytes of a name in the packet, length bytes included

local function u16(d, off)
	return d:getbyte(off) << 8 | d:getbyte(off + 1)
end

-- the offset of the UDP header in view d of n bytes, or nil
local function udp(d, n)
	if n < 1 then return end
	local v = d:getbyte(0) >> 4
	if v == 4 then
		if n < 20 or d:getbyte(9) ~= UDP then return end
		if u16(d, 6) & 0x1fff ~= 0 then return end -- not a first fragment
		local ihl = (d:getbyte(0) & 15) * 4
		if ihl >= 20 then return ihl end
	elseif v == 6 and n >= 40 and d:getbyte(6) == UDP then
		return 40
	end
end

-- the question's name in the DNS query at off, lowercased, or nil
local function qname(d, n, off)
	if off + 12 > n then return end
	local flags = u16(d, off + 2)
	if flags & 0xf800 ~= 0 or u16(d, off + 4) == 0 then
		return -- a response, or not a standard query, or no question
	end
	local labels, p = {}, off + 12
	while true do
		if p >= n or p - off - 12 >= MAXNAME then return end
		local len = d:getbyte(p)
		if len == 0 then break end
		-- 0xc0: a compression pointer, not in a query; 0x40: reserved
		if len > 63 or p + 1 + len > n then return end
		labels[#labels + 1] = d:getstring(p + 1, len)
		p = p + 1 + len
	end
	return table.concat(labels, "."):lower()
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
	local u = udp(d, n)
	if not u or u + 8 > n or u16(d, u + 2) ~= DNS then
		return A.ACCEPT
	end
	local name = qname(d, n, u + 8)
	if name and listed(name) then
		return A.DROP
	end
	return A.ACCEPT
end

-- the list as written may have capitals and trailing dots
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
