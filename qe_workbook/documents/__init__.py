"""Documents: feedback letters, the 通报 draft and the public list."""
