-- expect: not enough memory|too long|invalid conversion
return string.format("%099999999d", 1)
