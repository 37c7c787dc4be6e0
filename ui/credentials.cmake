# The credentials dialogs (included from ui/CMakeLists.txt).
target_sources(gls_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/CredentialsDialog.h ${CMAKE_CURRENT_LIST_DIR}/CredentialsDialog.cpp
    ${CMAKE_CURRENT_LIST_DIR}/MfaDialog.h ${CMAKE_CURRENT_LIST_DIR}/MfaDialog.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ProfileListModel.h ${CMAKE_CURRENT_LIST_DIR}/ProfileListModel.cpp)
