#include "AppController.h"

#include "GuiContext.h"

#include "CredentialsDialog.h"
#include "ErrorBanner.h"
#include "MainWindow.h"

#include "aws/AwsError.h"
#include "exports/ExportCoordinator.h"
#include "credentials/ProfileSettings.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>

namespace gls::gui {

const QStringList &AppController::knownRegions()
{
    static const QStringList regions{QStringLiteral("us-east-2"), QStringLiteral("us-west-2"),
                                     QStringLiteral("ap-northeast-1"), QStringLiteral("eu-central-1")};
    return regions;
}

AppController::AppController(GuiContext *context, QStringList regions, bool demo, QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_regions(std::move(regions))
    , m_regionsGiven(!m_regions.isEmpty())
    , m_demo(demo)
{
    connect(m_context, &GuiContext::resolved, this, &AppController::onResolved);
}

AppController::~AppController()
{
    delete m_window.data(); // its jobs before the context's clients and transports
}

ui::MainWindow *AppController::window() const
{
    return m_window;
}

void AppController::start(const QString &profile)
{
    if (!m_demo)
        m_context->useProfile(profile);
}

void AppController::createWindow(const creds::ChainResolution &resolution)
{
    QStringList regions = m_regions;
    if (regions.isEmpty() && ui::MainWindow::rememberedRegions().isEmpty() && !resolution.region.isEmpty())
        regions = {resolution.region};
    GuiContext *context = m_context;
    auto factory = [context](const QString &r, QString *error) { return context->gameLift(r, error); };
    m_window = new ui::MainWindow(factory, m_context->exports(), knownRegions(), regions);
    m_window->setAttribute(Qt::WA_DeleteOnClose);
    m_window->setProfileSettings(m_context->profileSettings());
    m_context->setDialogParent(m_window);
    // Quitting on a signal closes no window: its layout is saved here too.
    connect(qApp, &QCoreApplication::aboutToQuit, this, [this] {
        if (m_window)
            m_window->saveSettings();
        delete m_window.data();
    });
    connect(m_window, &ui::MainWindow::profileChosen, this, [this](const QString &name) {
        m_context->profileSettings()->setLastProfile(name);
        m_context->profileSettings()->sync();
        m_context->useProfile(name);
    });
    connect(m_window, &ui::MainWindow::manageCredentialsRequested, this, &AppController::openCredentialsDialog);
    if (m_demo) {
        m_window->setProfileChoices({{QString(), tr("Demo (emulator key)"),
                                      tr("The demo emulator's built-in key; nothing is stored anywhere")}},
                                    QString());
        m_window->profilePicker()->setEnabled(false);
        m_window->manageCredentialsAction()->setEnabled(false);
        m_window->manageCredentialsAction()->setToolTip(tr("Not in demo mode: the demo uses its built-in key"));
    } else {
        refreshProfiles();
    }
    m_window->show();
    if (!m_context->storeProblem().isEmpty()) {
        aws::AwsError e;
        e.kind = aws::AwsError::Kind::Client;
        e.type = QStringLiteral("ExportStore");
        e.operation = tr("Opening the export store");
        e.message = m_context->storeProblem();
        m_window->errorBanner()->showError(e);
    }
    // Exports of earlier runs (and of the CLI) are followed again, and those
    // requested elsewhere in the shown Regions are found.
    m_context->exports()->resume();
    for (const QString &region : m_window->regions())
        m_context->exports()->discoverElsewhere(m_context->profile(), region);
}

void AppController::onResolved(const creds::ChainResolution &resolution)
{
    if (!m_window)
        createWindow(resolution);
    else
        m_window->reloadClients();
    if (!resolution.region.isEmpty() && !m_regionsGiven && m_window->regions() != QStringList{resolution.region}
        && !m_context->profile().isEmpty())
        m_window->setRegions({resolution.region}); // the profile's own Region
    m_window->setCredentialsSource(resolution.ok() ? resolution.source : tr("none"),
                                   resolution.ok() ? resolution.regionOrigin : resolution.error);
    if (!resolution.ok()) {
        aws::AwsError e;
        e.kind = aws::AwsError::Kind::Credentials;
        e.type = QStringLiteral("NoCredentials");
        e.operation = tr("Loading credentials");
        e.message = resolution.error;
        m_window->errorBanner()->showError(e);
    }
}

void AppController::refreshProfiles()
{
    m_context->listProfiles(this, [this](const QList<ProfileEntry> &entries, const QString &keychainProblem) {
        if (!m_window)
            return;
        QList<ui::ProfileChoice> choices{{QString(), tr("Default"),
                                          tr("The environment's credentials, else the keychain profile \"default\", "
                                             "else AWS_PROFILE or \"default\" of the AWS files")}};
        for (const ProfileEntry &e : entries) {
            const bool keychain = e.source == tr("keychain");
            choices.append({e.name, keychain ? tr("%1 (keychain)").arg(e.name) : tr("%1 (%2)").arg(e.name, e.kind),
                            keychain ? tr("In the keychain, %1").arg(e.kind) : tr("%1, %2").arg(e.source, e.kind)});
        }
        m_window->setProfileChoices(choices, m_context->profile());
        if (!keychainProblem.isEmpty() && keychainProblem != m_keychainProblem) {
            // Said once, without blocking: the app goes on with the other sources.
            aws::AwsError e;
            e.kind = aws::AwsError::Kind::Credentials;
            e.type = QStringLiteral("NoKeychain");
            e.operation = tr("Reading the keychain");
            e.message = keychainProblem;
            if (m_context->isResolved() && m_context->resolution().ok())
                m_window->errorBanner()->showError(e);
        }
        m_keychainProblem = keychainProblem;
    });
}

ui::CredentialsDialog *AppController::openCredentialsDialog()
{
    if (m_credentialsDialog) {
        m_credentialsDialog->raise();
        m_credentialsDialog->activateWindow();
        return m_credentialsDialog;
    }
    ui::CredentialsDialogServices services;
    services.network = m_context->network();
    services.clock = m_context->clock();
    services.transport.extraCaCertificates = m_context->settings().extraCaCertificates;
    services.env = m_context->settings().env;
    m_credentialsDialog = new ui::CredentialsDialog(m_context->keychain(), m_context->profileSettings(), services,
                                                    m_window);
    m_credentialsDialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_credentialsDialog, &ui::CredentialsDialog::profilesChanged, this, [this] {
        refreshProfiles();
        // The profile in use may have new keys: read them again.
        if (!m_demo)
            m_context->useProfile(m_context->profile());
    });
    m_credentialsDialog->show();
    return m_credentialsDialog;
}

} // namespace gls::gui
