return string.rep("ab", 3, ","), ("%"):rep(2)
