freebsd
