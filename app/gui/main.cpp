// gls-exporter: the desktop app. Parses the arguments, wires the core
// (GuiContext) and, with --demo, a local gls-emulator (DemoEmulator), then
// shows the window (gls_ui's MainWindow).

#include "AppController.h"
#include "DemoEmulator.h"
#include "GuiContext.h"

#include "credentials/ProfileSettings.h"

#include "aws/AwsTransport.h"
#include "aws/Credentials.h"
#include "aws/Endpoints.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QPointer>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <memory>

#include <sys/socket.h>
#include <unistd.h>

using namespace gls;

namespace {

void fail(const QString &message)
{
    std::fprintf(stderr, "gls-exporter: %s\n", qPrintable(message));
}

int g_signalFd[2] = {-1, -1};

// SIGTERM and SIGINT quit the event loop, so the demo emulator is stopped and
// its temporary folder removed.
void quitOnSignals(QCoreApplication *app)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFd) != 0)
        return;
    auto *notifier = new QSocketNotifier(g_signalFd[1], QSocketNotifier::Read, app);
    QObject::connect(notifier, &QSocketNotifier::activated, app, [] { QCoreApplication::quit(); });
    const auto handler = [](int) {
        const char byte = 1;
        [[maybe_unused]] const auto written = ::write(g_signalFd[0], &byte, 1);
    };
    std::signal(SIGTERM, handler);
    std::signal(SIGINT, handler);
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("gls-exporter"));
    QApplication::setApplicationDisplayName(QObject::tr("GameLift Streams Exporter"));
    QApplication::setApplicationVersion(QStringLiteral(GLS_VERSION));
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.glsexporter.GlsExporter"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/gls-exporter.svg")));

    quitOnSignals(&app);

    QCommandLineParser parser;
    parser.setApplicationDescription(QObject::tr("Export, follow and open Amazon GameLift Streams session files."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demo(
        QStringLiteral("demo"), QObject::tr("Run against a local gls-emulator with demo data."));
    const QCommandLineOption region(QStringLiteral("region"), QObject::tr("The AWS Region."), QStringLiteral("REGION"));
    const QCommandLineOption endpoint(QStringLiteral("endpoint-url"),
        QObject::tr("The GameLift Streams endpoint to use instead of AWS's."), QStringLiteral("URL"));
    const QCommandLineOption caBundle(QStringLiteral("ca-bundle"),
        QObject::tr("Trust the CA certificates in this PEM file instead of the system's (else AWS_CA_BUNDLE)."),
        QStringLiteral("FILE"));
    const QCommandLineOption profile(QStringLiteral("profile"),
        QObject::tr("Use this profile (a keychain profile, else one of the AWS files); else the last one used."),
        QStringLiteral("NAME"));
    parser.addOptions({demo, region, endpoint, caBundle, profile});
    parser.process(app);

    gui::GuiSettings settings;
    settings.keychainService = settings.env.value(QStringLiteral("GLS_KEYCHAIN_SERVICE"), settings.keychainService);
    if (parser.isSet(demo)) {
        // Destroyed before the application object: the context's network manager, then the emulator.
        const auto emulator = std::make_unique<gui::DemoEmulator>();
        QObject::connect(emulator.get(), &gui::DemoEmulator::failed, &app, [](const QString &message) {
            fail(message);
            QCoreApplication::exit(1);
        });
        QObject::connect(emulator.get(), &gui::DemoEmulator::ready, &app,
            [e = emulator.get(), settings, &parser, &region]() mutable {
                QString why;
                if (!aws::AwsTransport::loadCaBundle(e->caPath(), &settings.extraCaCertificates, &why)) {
                    fail(why);
                    QCoreApplication::exit(1);
                    return;
                }
                settings.endpointUrl = e->gameliftUrl();
                settings.s3EndpointUrl = e->s3Url();
                // The demo's exports are its own: never mixed with the real store.
                settings.exportStorePath = e->dataDir() + QStringLiteral("/demo-exports.sqlite");
                settings.fastTracking = true;
                settings.downloadFolder = e->dataDir() + QStringLiteral("/downloads");
                // In-process only: the demo key is never written anywhere.
                sigv4::Credentials creds;
                creds.accessKeyId = gui::DemoEmulator::kAccessKeyId;
                creds.secretAccessKey = gui::DemoEmulator::kSecretKey;
                auto *context = new gui::GuiContext(settings);
                // The demo emulator serves both Regions.
                auto *controller = new gui::AppController(context,
                    parser.isSet(region) ? QStringList{parser.value(region)}
                                         : QStringList{QStringLiteral("us-west-2"), QStringLiteral("us-east-2")},
                    true, e);
                context->setParent(controller); // the window goes first, then the context
                context->useProvider(new aws::StaticCredentialsProvider(creds, QStringLiteral("demo")),
                    QStringLiteral("demo key (emulator)"));
                aws::wipe(creds);
                controller->start({});
            });
        emulator->start(QCoreApplication::applicationDirPath());
        return app.exec();
    }

    settings.endpointUrl = parser.value(endpoint);
    QString bundle = parser.value(caBundle);
    if (bundle.isEmpty())
        bundle = settings.env.value(QStringLiteral("AWS_CA_BUNDLE"));
    if (!bundle.isEmpty()) {
        QString why;
        if (!aws::AwsTransport::loadCaBundle(bundle, &settings.extraCaCertificates, &why)) {
            fail(why);
            return 2;
        }
    }
    const QString startRegion = aws::resolveRegion(parser.value(region), settings.env);
    gui::GuiContext context(settings);
    // --region, AWS_REGION or AWS_DEFAULT_REGION win; else the Regions chosen last time.
    gui::AppController controller(&context, startRegion.isEmpty() ? QStringList() : QStringList{startRegion}, false);
    controller.start(parser.isSet(profile) ? parser.value(profile) : context.profileSettings()->lastProfile());
    return app.exec();
}
