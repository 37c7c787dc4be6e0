# The archive browser on real archives: the emulator's export ZIP (its
# ArchiveWriter) and hostile ones built with libzip (tests/archive/ZipFixtures.h).
gls_add_test(tst_archive_browser
    SOURCES tst_archive_browser.cpp
    LIBRARIES gls_ui gls_emulator PkgConfig::LIBZIP
    LABELS ui archive)
target_include_directories(tst_archive_browser PRIVATE ${CMAKE_SOURCE_DIR}/tests/archive)
