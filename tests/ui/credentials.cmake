# The credentials dialogs (included from tests/ui/CMakeLists.txt): the real
# keychain on the private session bus, the real gls-emulator's STS over TLS,
# real ~/.aws files in a temporary HOME.
gls_add_test(tst_credentials_dialog
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_credentials_dialog.cpp
    LIBRARIES gls_ui gls_testsupport
    LABELS ui integration keychain)
add_dependencies(tst_credentials_dialog gls-emulator)

# Without any session bus: the plain explanation, Add/Edit/Remove disabled.
add_test(NAME tst_credentials_dialog_no_keychain COMMAND tst_credentials_dialog keychainUnavailable)
set_tests_properties(tst_credentials_dialog_no_keychain PROPERTIES
    TIMEOUT 120
    LABELS "ui;keychain"
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;GLS_EXPECT_NO_KEYCHAIN=1;DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/gls-no-bus;GLS_BIN_DIR=${CMAKE_BINARY_DIR}/bin;GLS_SOURCE_DIR=${CMAKE_SOURCE_DIR}"
    SKIP_RETURN_CODE 77)
