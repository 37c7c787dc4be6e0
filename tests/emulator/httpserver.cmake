# HttpServer: the emulator's HTTP/1.1 and TLS transport, driven over real sockets.
gls_add_test(tst_httpserver SOURCES tst_httpserver.cpp LIBRARIES gls_emulator LABELS emulator)
