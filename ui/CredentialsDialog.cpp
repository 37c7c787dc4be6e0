#include "CredentialsDialog.h"

#include "ProfileListModel.h"

#include "aws/Credentials.h"
#include "aws/Endpoints.h"
#include "credentials/KeychainStore.h"
#include "credentials/Sts.h"
#include "gamelift/Validation.h"

#include <QCloseEvent>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QRegularExpression>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <memory>

namespace gls::ui {

namespace {

constexpr auto kErrorStyle = "color: #b02020;";

void askWithMessageBox(QWidget *parent, const QString &question, std::function<void()> accept)
{
    auto *box = new QMessageBox(
        QMessageBox::Warning, CredentialsDialog::tr("Remove profile"), question, QMessageBox::Cancel, parent);
    QPushButton *remove = box->addButton(CredentialsDialog::tr("&Remove"), QMessageBox::DestructiveRole);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(
        box, &QMessageBox::buttonClicked, box, [remove, accept = std::move(accept)](QAbstractButton *button) {
            if (button == remove)
                accept();
        });
    box->open();
}

// Region given: the STS endpoint in it, or the environment's AWS_ENDPOINT_URL_STS.
aws::Endpoint defaultStsEndpoint(const creds::ProfileDefaults &settings, const QProcessEnvironment &env, QString *error)
{
    aws::EndpointOptions options;
    options.region = settings.region.isEmpty() ? QStringLiteral("us-east-1") : settings.region;
    options.env = env;
    return aws::resolveStsEndpoint(options, error);
}

} // namespace

CredentialsDialog::CredentialsDialog(
    creds::KeychainStore *store, creds::ProfileSettings *settings, CredentialsDialogServices services, QWidget *parent)
    : QDialog(parent)
    , m_store(store)
    , m_settings(settings)
    , m_services(std::move(services))
    , m_model(new ProfileListModel(this))
{
    setWindowTitle(tr("Manage credentials"));
    setModal(false);
    setMinimumSize(760, 460);
    if (!m_services.confirm)
        m_services.confirm = askWithMessageBox;
    if (!m_services.network)
        m_services.network = m_ownNetwork = new QNetworkAccessManager(this);
    if (!m_services.clock)
        m_services.clock = &m_systemClock;

    m_banner = new QLabel(this);
    m_banner->setWordWrap(true);
    m_banner->setStyleSheet(QStringLiteral("QLabel { background: #fdecea; color: #7a1c1c; padding: 8px; "
                                           "border: 1px solid #e6b0aa; border-radius: 3px; }"));
    m_banner->setAccessibleName(tr("Keychain problem"));
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_banner->setVisible(false);

    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_status->setAccessibleName(tr("Credentials status"));
    m_status->setToolTip(tr("The outcome of the last save, test or removal"));

    m_pages = new QStackedWidget(this);
    m_pages->addWidget(buildListPage());
    m_pages->addWidget(buildFormPage());

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addWidget(m_pages, 1);
    layout->addWidget(m_status);

    reload();
}

CredentialsDialog::~CredentialsDialog()
{
    wipeSecretFields();
}

QWidget *CredentialsDialog::buildListPage()
{
    auto *page = new QWidget(this);
    auto *intro = new QLabel(tr("Keychain profiles keep their secret in this desktop's keychain and can be edited "
                                "here. Profiles from the AWS files (~/.aws/config and ~/.aws/credentials) are "
                                "listed read-only: edit those files, or use the AWS CLI, to change them."),
        page);
    intro->setWordWrap(true);

    m_view = new QTableView(page);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->setWordWrap(false);
    m_view->setShowGrid(false);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 10);
    m_view->setAccessibleName(tr("Profiles"));
    m_view->setToolTip(tr("Keychain profiles (editable) and AWS files' profiles (read-only)"));

    m_add = new QPushButton(tr("&Add…"), page);
    m_add->setAccessibleName(tr("Add profile"));
    m_add->setToolTip(tr("Add a keychain profile with an access key"));
    m_edit = new QPushButton(tr("&Edit…"), page);
    m_edit->setAccessibleName(tr("Edit profile"));
    m_test = new QPushButton(tr("&Test"), page);
    m_test->setAccessibleName(tr("Test profile"));
    m_remove = new QPushButton(tr("&Remove…"), page);
    m_remove->setAccessibleName(tr("Remove profile"));
    m_closeButton = new QPushButton(tr("&Close"), page);
    m_closeButton->setAccessibleName(tr("Close"));
    m_closeButton->setToolTip(tr("Close this window"));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_edit);
    buttons->addWidget(m_test);
    buttons->addWidget(m_remove);
    buttons->addStretch(1);
    buttons->addWidget(m_closeButton);

    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(intro);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);

    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &CredentialsDialog::updateActions);
    connect(m_model, &QAbstractItemModel::modelReset, this, &CredentialsDialog::updateActions);
    connect(m_view, &QAbstractItemView::doubleClicked, this, [this] {
        if (m_edit->isEnabled())
            showForm(selectedKeychainProfile());
    });
    connect(m_add, &QPushButton::clicked, this, [this] { showForm({}); });
    connect(m_edit, &QPushButton::clicked, this, [this] { showForm(selectedKeychainProfile()); });
    connect(m_test, &QPushButton::clicked, this, &CredentialsDialog::testSelected);
    connect(m_remove, &QPushButton::clicked, this, &CredentialsDialog::removeSelected);
    connect(m_closeButton, &QPushButton::clicked, this, &QDialog::close);
    return page;
}

QLabel *CredentialsDialog::problemLabel(const QString &accessibleName)
{
    auto *label = new QLabel(this);
    label->setWordWrap(true);
    label->setStyleSheet(QString::fromLatin1(kErrorStyle));
    label->setAccessibleName(accessibleName);
    label->setVisible(false);
    return label;
}

QWidget *CredentialsDialog::buildFormPage()
{
    auto *page = new QWidget(this);
    m_formTitle = new QLabel(page);
    QFont bold = m_formTitle->font();
    bold.setBold(true);
    m_formTitle->setFont(bold);

    m_name = new QLineEdit(page);
    m_name->setAccessibleName(tr("Profile name"));
    m_name->setToolTip(tr("1 to 64 characters: letters, digits, '.', '_' or '-'"));
    m_name->setPlaceholderText(QStringLiteral("qa"));
    m_nameProblem = problemLabel(tr("Profile name problem"));

    m_keyId = new QLineEdit(page);
    m_keyId->setAccessibleName(tr("Access key ID"));
    m_keyId->setToolTip(tr("The access key ID, e.g. AKIA… for a long-term key or ASIA… for temporary credentials"));
    m_keyIdProblem = problemLabel(tr("Access key ID problem"));

    m_secret = new QLineEdit(page);
    m_secret->setEchoMode(QLineEdit::Password);
    m_secret->setAccessibleName(tr("Secret access key"));
    m_secret->setToolTip(tr("Stored in the keychain only; never shown again"));
    m_secretProblem = problemLabel(tr("Secret access key problem"));

    m_token = new QLineEdit(page);
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setAccessibleName(tr("Session token"));
    m_token->setToolTip(tr("Only for temporary credentials (ASIA… keys); stored in the keychain only"));

    m_region = new QComboBox(page);
    m_region->setEditable(true);
    m_region->addItems(suggestedRegions());
    m_region->setAccessibleName(tr("Region"));
    m_region->setToolTip(tr("The AWS Region this profile works in by default; type another if needed"));
    m_regionProblem = problemLabel(tr("Region problem"));

    m_destination = new QLineEdit(page);
    m_destination->setPlaceholderText(QStringLiteral("s3://my-bucket/qa/"));
    m_destination->setAccessibleName(tr("Default S3 destination"));
    m_destination->setToolTip(tr("Where exports go unless you choose another, e.g. s3://my-bucket/qa/ (optional)"));
    m_destinationProblem = problemLabel(tr("Default S3 destination problem"));

    m_endpoint = new QLineEdit(page);
    m_endpoint->setPlaceholderText(tr("(the Region's GameLift Streams endpoint)"));
    m_endpoint->setAccessibleName(tr("Endpoint override URL"));
    m_endpoint->setToolTip(
        tr("A GameLift Streams endpoint to use instead of the Region's: https, or http to this computer only "
           "(optional)"));
    m_endpointProblem = problemLabel(tr("Endpoint override URL problem"));

    m_caBundle = new QLineEdit(page);
    m_caBundle->setPlaceholderText(tr("(the system's certificates)"));
    m_caBundle->setAccessibleName(tr("CA bundle file"));
    m_caBundle->setToolTip(tr("A PEM file of extra certificate authorities to trust, e.g. a company proxy's "
                              "(optional)"));
    m_caBundleProblem = problemLabel(tr("CA bundle file problem"));
    m_browse = new QPushButton(tr("&Browse…"), page);
    m_browse->setAccessibleName(tr("Choose CA bundle file"));
    m_browse->setToolTip(tr("Pick the PEM file"));
    auto *caRow = new QHBoxLayout;
    caRow->addWidget(m_caBundle, 1);
    caRow->addWidget(m_browse);

    auto *form = new QFormLayout;
    form->addRow(tr("Profile &name:"), m_name);
    form->addRow(QString(), m_nameProblem);
    form->addRow(tr("Access &key ID:"), m_keyId);
    form->addRow(QString(), m_keyIdProblem);
    form->addRow(tr("&Secret access key:"), m_secret);
    form->addRow(QString(), m_secretProblem);
    form->addRow(tr("Session &token:"), m_token);
    form->addRow(tr("Re&gion:"), m_region);
    form->addRow(QString(), m_regionProblem);
    form->addRow(tr("Default S3 &destination:"), m_destination);
    form->addRow(QString(), m_destinationProblem);
    form->addRow(tr("Endpoint &override URL:"), m_endpoint);
    form->addRow(QString(), m_endpointProblem);
    auto *caLabel = new QLabel(tr("CA bundle &file:"), page);
    caLabel->setBuddy(m_caBundle); // a row holding a layout gets no buddy by itself
    form->addRow(caLabel, caRow);
    form->addRow(QString(), m_caBundleProblem);

    m_formProblem = problemLabel(tr("Save problem"));

    auto *box = new QDialogButtonBox(page);
    m_save = box->addButton(tr("Sa&ve"), QDialogButtonBox::AcceptRole);
    m_save->setAccessibleName(tr("Save profile"));
    m_save->setToolTip(tr("Save the secret in the keychain and the other settings in the app's settings"));
    m_save->setDefault(true);
    m_cancelForm = box->addButton(QDialogButtonBox::Cancel);
    m_cancelForm->setAccessibleName(tr("Cancel editing"));
    m_cancelForm->setToolTip(tr("Back to the list without saving"));

    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_formTitle);
    layout->addLayout(form);
    layout->addStretch(1);
    layout->addWidget(m_formProblem);
    layout->addWidget(box);

    for (QLineEdit *edit : {m_name, m_keyId, m_secret, m_destination, m_endpoint, m_caBundle})
        connect(edit, &QLineEdit::textEdited, this, [this] { validateForm(); });
    connect(m_region, &QComboBox::currentTextChanged, this, [this] { validateForm(); });
    connect(m_browse, &QPushButton::clicked, this, &CredentialsDialog::chooseCaBundle);
    connect(m_save, &QPushButton::clicked, this, &CredentialsDialog::save);
    connect(m_cancelForm, &QPushButton::clicked, this, &CredentialsDialog::closeForm);
    return page;
}

QStringList CredentialsDialog::suggestedRegions()
{
    return {QStringLiteral("us-east-2"), QStringLiteral("us-west-2"), QStringLiteral("ap-northeast-1"),
        QStringLiteral("eu-central-1")};
}

QString CredentialsDialog::validateAccessKeyId(const QString &id)
{
    // IAM's rule for AccessKeyId: 16 to 128 characters of [\w]. The rejected text
    // is not repeated: it may be a secret pasted into the wrong field.
    static const QRegularExpression rule(QStringLiteral("^[A-Za-z0-9_]{16,128}$"));
    if (rule.match(id).hasMatch())
        return {};
    return tr("Access key ID must be 16 to 128 characters, each a letter, a digit or '_' (for example AKIA… or "
              "ASIA… followed by 16 more).");
}

void CredentialsDialog::reload()
{
    QStringList fileErrors;
    m_model->setFileProfiles(ProfileListModel::readFileProfiles(m_services.env, &fileErrors));
    m_store->list(this, [this, fileErrors](const creds::KeychainListResult &result) {
        m_keychainAvailable = !result.unavailable();
        QStringList problems;
        if (!result.ok())
            problems.append(result.error);
        for (const QString &e : fileErrors)
            problems.append(tr("AWS files: %1").arg(e));
        m_banner->setText(problems.join(QLatin1Char('\n')));
        m_banner->setVisible(!problems.isEmpty());
        const QString selected = selectedKeychainProfile();
        m_model->setKeychainProfiles(result.profiles);
        if (!selected.isEmpty())
            selectProfile(selected);
        if (!m_keychainAvailable && isFormShown())
            closeForm();
        updateActions();
        Q_EMIT reloaded();
    });
}

bool CredentialsDialog::selectProfile(const QString &name, bool keychain)
{
    const int row = m_model->rowOf(name, keychain);
    if (row < 0)
        return false;
    m_view->selectRow(row);
    return true;
}

QString CredentialsDialog::selectedKeychainProfile() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    if (rows.size() != 1 || !m_model->isKeychain(rows.first().row()))
        return {};
    return m_model->nameAt(rows.first().row());
}

bool CredentialsDialog::isFormShown() const
{
    return m_pages->currentIndex() == 1;
}

void CredentialsDialog::updateActions()
{
    const bool selected = !selectedKeychainProfile().isEmpty();
    const bool usable = m_keychainAvailable && !m_busy;
    m_add->setEnabled(usable);
    m_edit->setEnabled(usable && selected);
    m_test->setEnabled(usable && selected);
    m_remove->setEnabled(usable && selected);
    const QString why = !m_keychainAvailable ? tr("No keychain is available (see above)")
        : m_busy                             ? tr("Waiting for the keychain…")
                                             : tr("Select a keychain profile first");
    m_edit->setToolTip(m_edit->isEnabled() ? tr("Change the selected keychain profile") : why);
    m_test->setToolTip(m_test->isEnabled() ? tr("Ask AWS STS who these credentials belong to") : why);
    m_remove->setToolTip(m_remove->isEnabled() ? tr("Delete the selected profile from the keychain") : why);
    m_add->setToolTip(m_add->isEnabled() ? tr("Add a keychain profile with an access key") : why);
}

void CredentialsDialog::setBusy(bool busy)
{
    m_busy = busy;
    m_save->setEnabled(!busy);
    updateActions();
}

void CredentialsDialog::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? QString::fromLatin1(kErrorStyle) : QStringLiteral("color: #1e6b2e;"));
}

void CredentialsDialog::showForm(const QString &editing)
{
    if (!m_keychainAvailable)
        return;
    m_editing = editing;
    wipeSecretFields();
    const creds::ProfileDefaults defaults = editing.isEmpty() ? creds::ProfileDefaults{} : m_settings->load(editing);
    m_formTitle->setText(editing.isEmpty() ? tr("New keychain profile") : tr("Edit keychain profile %1").arg(editing));
    m_name->setText(editing);
    m_name->setReadOnly(!editing.isEmpty());
    m_name->setToolTip(editing.isEmpty() ? tr("1 to 64 characters: letters, digits, '.', '_' or '-'")
                                         : tr("To rename a profile, add one with the new name and remove this one"));
    m_keyId->setText(QString());
    m_keyId->setPlaceholderText(editing.isEmpty() ? QStringLiteral("AKIAIOSFODNN7EXAMPLE")
                                                  : tr("Leave empty to keep the stored access key ID"));
    m_secret->setPlaceholderText(
        editing.isEmpty() ? tr("Required") : tr("Leave empty to keep the stored secret access key"));
    m_token->setPlaceholderText(editing.isEmpty()
            ? tr("Optional: only for temporary (ASIA…) credentials")
            : tr("Leave empty to keep the stored token when the secret is kept; optional otherwise"));
    m_region->setCurrentText(defaults.region);
    m_destination->setText(defaults.destination);
    m_endpoint->setText(defaults.endpointUrl);
    m_caBundle->setText(defaults.caBundle);
    for (QLabel *l : {m_nameProblem, m_keyIdProblem, m_secretProblem, m_regionProblem, m_destinationProblem,
             m_endpointProblem, m_caBundleProblem, m_formProblem})
        l->setVisible(false);
    m_pages->setCurrentIndex(1);
    (editing.isEmpty() ? m_name : m_keyId)->setFocus();
}

void CredentialsDialog::closeForm()
{
    wipeSecretFields();
    m_pages->setCurrentIndex(0);
    m_view->setFocus();
}

void CredentialsDialog::wipeSecretFields()
{
    // setText (not clear()) also drops the undo history, which would keep the text.
    if (m_secret)
        m_secret->setText(QString());
    if (m_token)
        m_token->setText(QString());
}

void CredentialsDialog::closeEvent(QCloseEvent *event)
{
    closeForm();
    QDialog::closeEvent(event);
}

void CredentialsDialog::hideEvent(QHideEvent *event)
{
    wipeSecretFields();
    QDialog::hideEvent(event);
}

bool CredentialsDialog::validateForm()
{
    auto show = [](QLabel *label, const QString &problem) {
        label->setText(problem);
        label->setVisible(!problem.isEmpty());
        return problem.isEmpty();
    };
    bool ok = true;
    const bool adding = m_editing.isEmpty();
    const QString name = m_name->text().trimmed();
    ok &= show(m_nameProblem, adding ? creds::KeychainStore::validateName(name) : QString());

    const QString keyId = m_keyId->text().trimmed();
    ok &= show(m_keyIdProblem, (adding || !keyId.isEmpty()) ? validateAccessKeyId(keyId) : QString());

    QString secretProblem;
    if (m_secret->text().isEmpty() && adding)
        secretProblem = tr("Secret access key is required for a new profile.");
    else if (m_secret->text().isEmpty() && !keyId.isEmpty())
        secretProblem = tr("Secret access key is required when the access key ID changes.");
    ok &= show(m_secretProblem, secretProblem);

    QString regionProblem;
    const QString region = m_region->currentText().trimmed();
    if (!region.isEmpty()) {
        aws::EndpointOptions options;
        options.region = region;
        options.env = QProcessEnvironment();
        (void)aws::resolveStsEndpoint(options, &regionProblem);
    }
    ok &= show(m_regionProblem, regionProblem);

    const QString destination = m_destination->text().trimmed();
    ok &= show(m_destinationProblem,
        destination.isEmpty() ? QString() : gamelift::outputUriProblem(destination, tr("Default S3 destination")));

    QString endpointProblem;
    const QString endpoint = m_endpoint->text().trimmed();
    if (!endpoint.isEmpty() && !aws::checkEndpointUrl(QUrl(endpoint), &endpointProblem) && endpointProblem.isEmpty())
        endpointProblem = tr("Endpoint override URL is not a valid URL.");
    ok &= show(m_endpointProblem, endpoint.isEmpty() ? QString() : endpointProblem);

    QString caProblem;
    const QString ca = m_caBundle->text().trimmed();
    if (!ca.isEmpty()) {
        QList<QSslCertificate> certs;
        (void)aws::AwsTransport::loadCaBundle(ca, &certs, &caProblem);
    }
    ok &= show(m_caBundleProblem, caProblem);
    return ok;
}

void CredentialsDialog::save()
{
    m_formProblem->setVisible(false);
    if (!validateForm()) {
        m_formProblem->setText(tr("The profile was not saved: fix the fields marked above."));
        m_formProblem->setVisible(true);
        return;
    }
    const QString name = m_editing.isEmpty() ? m_name->text().trimmed() : m_editing;
    creds::ProfileDefaults defaults = m_settings->load(name);
    defaults.region = m_region->currentText().trimmed();
    defaults.destination = m_destination->text().trimmed();
    defaults.endpointUrl = m_endpoint->text().trimmed();
    defaults.caBundle = m_caBundle->text().trimmed();

    // One holder of the typed secret, wiped when the last callback lets go of it.
    std::shared_ptr<creds::KeychainProfile> profile(new creds::KeychainProfile, [](creds::KeychainProfile *p) {
        aws::wipe(p->credentials);
        delete p;
    });
    profile->name = name;
    profile->credentials.accessKeyId = m_keyId->text().trimmed().toLatin1();
    profile->credentials.secretAccessKey = m_secret->text().toUtf8();
    profile->credentials.sessionToken = m_token->text().trimmed().toUtf8();
    wipeSecretFields();

    setBusy(true);
    setStatus(tr("Saving profile %1 to the keychain…").arg(name), false);
    auto finished
        = [this, name, defaults](const creds::KeychainResult &r) { finishSave(name, defaults, r.ok(), r.error); };
    const bool keepSecret = profile->credentials.secretAccessKey.isEmpty();
    const bool keepKeyId = profile->credentials.accessKeyId.isEmpty();
    if (!keepSecret && !keepKeyId) {
        m_store->save(*profile, this, finished);
        return;
    }
    // Editing with a field left empty: the stored value stays.
    m_store->read(name, this, [this, profile, keepSecret, keepKeyId, finished](const creds::KeychainResult &stored) {
        if (!stored.ok()) {
            finished(stored);
            return;
        }
        if (keepKeyId)
            profile->credentials.accessKeyId = stored.profile.credentials.accessKeyId;
        if (keepSecret) {
            profile->credentials.secretAccessKey = stored.profile.credentials.secretAccessKey;
            if (profile->credentials.sessionToken.isEmpty())
                profile->credentials.sessionToken = stored.profile.credentials.sessionToken;
        }
        m_store->save(*profile, this, finished);
    });
}

void CredentialsDialog::finishSave(
    const QString &name, const creds::ProfileDefaults &defaults, bool ok, const QString &error)
{
    setBusy(false);
    if (!ok) {
        m_formProblem->setText(tr("The profile was not saved: %1").arg(error));
        m_formProblem->setVisible(true);
        setStatus(tr("Profile %1 was not saved.").arg(name), true);
        if (isFormShown())
            m_secret->setFocus();
        Q_EMIT saveFinished(false);
        return;
    }
    m_settings->save(name, defaults);
    m_settings->sync();
    closeForm();
    setStatus(tr("Saved profile %1.").arg(name), false);
    Q_EMIT profilesChanged();
    Q_EMIT saveFinished(true);
    connect(
        this, &CredentialsDialog::reloaded, this, [this, name] { selectProfile(name); }, Qt::SingleShotConnection);
    reload();
}

void CredentialsDialog::testSelected()
{
    const QString name = selectedKeychainProfile();
    if (name.isEmpty())
        return;
    delete m_testContext; // a test still running is dropped
    auto *context = new QObject(this);
    m_testContext = context;
    setStatus(tr("Testing profile %1 with AWS STS…").arg(name), false);

    const creds::ProfileDefaults defaults = m_settings->load(name);
    auto fail = [this, context](const QString &message) {
        setStatus(message, true);
        context->deleteLater();
        Q_EMIT testFinished(false);
    };
    QString error;
    const aws::Endpoint endpoint = m_services.stsEndpoint ? m_services.stsEndpoint(name, defaults, &error)
                                                          : defaultStsEndpoint(defaults, m_services.env, &error);
    if (!endpoint.isValid()) {
        fail(tr("Cannot test profile %1: %2").arg(name, error));
        return;
    }
    aws::TransportSettings transport = m_services.transport;
    if (!defaults.caBundle.isEmpty()
        && !aws::AwsTransport::loadCaBundle(defaults.caBundle, &transport.extraCaCertificates, &error)) {
        fail(tr("Cannot test profile %1: %2").arg(name, error));
        return;
    }

    m_store->read(name, context, [this, context, name, endpoint, transport, fail](const creds::KeychainResult &r) {
        if (!r.ok()) {
            fail(tr("Cannot test profile %1: %2").arg(name, r.error));
            return;
        }
        auto *provider
            = new aws::StaticCredentialsProvider(r.profile.credentials, QStringLiteral("keychain:") + name, context);
        auto *sts = new aws::AwsTransport(m_services.network, provider, m_services.clock, transport, {}, context);
        aws::AwsCall *call = sts->send(endpoint, creds::getCallerIdentityRequest(), context);
        connect(call, &aws::AwsCall::succeeded, context, [this, context, name, fail](const aws::AwsResponse &resp) {
            creds::CallerIdentity who;
            QString parseError;
            if (!creds::parseCallerIdentityResponse(resp.body, &who, &parseError)) {
                fail(tr("Profile %1: STS answered something unreadable: %2").arg(name, parseError));
                return;
            }
            setStatus(tr("Profile %1 works: account %2, %3").arg(name, who.account, who.arn), false);
            context->deleteLater();
            Q_EMIT testFinished(true);
        });
        connect(call, &aws::AwsCall::failed, context,
            [name, fail](const aws::AwsError &e) { fail(tr("Profile %1 does not work: %2").arg(name, e.toString())); });
    });
}

void CredentialsDialog::removeSelected()
{
    const QString name = selectedKeychainProfile();
    if (name.isEmpty())
        return;
    const QString question = tr("Remove the keychain profile %1? Its access key and secret are deleted from the "
                                "keychain; the key itself stays valid in AWS.")
                                 .arg(name);
    m_services.confirm(this, question, [this, name, guard = QPointer<CredentialsDialog>(this)] {
        if (!guard)
            return;
        setBusy(true);
        setStatus(tr("Removing profile %1…").arg(name), false);
        m_store->remove(name, this, [this, name](const creds::KeychainResult &r) {
            setBusy(false);
            if (!r.ok()) {
                setStatus(tr("Profile %1 was not removed: %2").arg(name, r.error), true);
                return;
            }
            if (m_model->rowOf(name, false) < 0) // an AWS-files profile of that name keeps its settings
                m_settings->remove(name);
            setStatus(tr("Removed profile %1.").arg(name), false);
            Q_EMIT profilesChanged();
            reload();
        });
    });
}

void CredentialsDialog::chooseCaBundle()
{
    auto *picker = new QFileDialog(
        this, tr("Choose a CA bundle"), m_caBundle->text(), tr("PEM certificates (*.pem *.crt *.cer);;All files (*)"));
    picker->setFileMode(QFileDialog::ExistingFile);
    picker->setAttribute(Qt::WA_DeleteOnClose);
    connect(picker, &QFileDialog::fileSelected, this, [this](const QString &file) {
        m_caBundle->setText(file);
        validateForm();
    });
    picker->open();
}

} // namespace gls::ui
