# Precompiled headers: the Qt headers most of our files include, parsed once
# per library (and twice for all the tests) instead of once per file. Parsing
# Qt's headers is about half of what a file of ours costs to compile. A clean
# build with CI's flags, one job: 1,512 s without them, 1,259 s with them
# (core 404 -> 219 s with its header's build, emulator 134 -> 97, ui 111 ->
# 84, the tests' own files 338 -> 293).
#
# Only Qt's own headers go in, never ours: a change to one of our headers
# rebuilds what includes it, as before. None of these headers reads
# QT_GUI_LIB, QT_WIDGETS_LIB, QT_NETWORK_LIB or QT_TESTCASE_BUILDDIR (QtTest's
# do, and stay out), so one precompiled header serves targets that differ in
# those. -DCMAKE_DISABLE_PRECOMPILE_HEADERS=ON builds without them, which
# also checks that every file includes what it uses.

set(GLS_PCH_CORE
    <QByteArray> <QByteArrayView> <QString> <QStringList> <QList> <QHash> <QMap> <QSet>
    <QObject> <QPointer> <QTimer> <QDateTime> <QElapsedTimer> <QVariant> <QMetaType> <QDebug>
    <QLoggingCategory> <QRegularExpression> <QFile> <QFileInfo> <QDir> <QUrl>
    <QJsonDocument> <QJsonObject> <QJsonArray> <QJsonValue>)
set(GLS_PCH_NETWORK
    <QNetworkAccessManager> <QNetworkReply> <QNetworkRequest> <QSslConfiguration> <QSslCertificate>
    <QSslError> <QTcpSocket>)
set(GLS_PCH_WIDGETS
    <QApplication> <QWidget> <QAbstractItemModel> <QAbstractItemView> <QAction> <QBoxLayout> <QComboBox>
    <QDialog> <QHeaderView> <QIcon> <QLabel> <QLineEdit> <QMenu> <QMessageBox> <QPushButton> <QTableView>)
# Not QtTest's headers: qtestcase.h reads QT_TESTCASE_BUILDDIR, which differs per test.
set(GLS_PCH_TEST <QTemporaryDir> <QProcess> <QCryptographicHash>)

# gls_precompile(TARGET [NETWORK] [WIDGETS]): the core list, plus QtNetwork's
# and QtWidgets' when the target uses them.
function(gls_precompile target)
    cmake_parse_arguments(ARG "NETWORK;WIDGETS" "" "" ${ARGN})
    set(headers ${GLS_PCH_CORE})
    if(ARG_NETWORK)
        list(APPEND headers ${GLS_PCH_NETWORK})
    endif()
    if(ARG_WIDGETS)
        list(APPEND headers ${GLS_PCH_WIDGETS})
    endif()
    target_precompile_headers(${target} PRIVATE ${headers})
endfunction()
