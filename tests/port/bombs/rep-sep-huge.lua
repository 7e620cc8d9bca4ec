-- expect: not enough memory|too large
return ("x"):rep(100000000, "yy")
