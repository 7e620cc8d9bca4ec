-- expect: not enough memory|too large
return ("x"):rep(1 << 40)
