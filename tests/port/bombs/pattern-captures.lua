-- expect: too many captures
return string.match(("x"):rep(100), ("(x)"):rep(40))
