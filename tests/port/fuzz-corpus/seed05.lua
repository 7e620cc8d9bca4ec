local s = 0 for w in ("a b c"):gmatch("%a") do s = s + 1 end return s
