#include "ProfileListModel.h"

#include "credentials/AwsConfigFiles.h"

#include <QLocale>

namespace gls::ui {

ProfileListModel::ProfileListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ProfileListModel::setKeychainProfiles(const QList<creds::KeychainProfileInfo> &profiles)
{
    beginResetModel();
    m_keychain = profiles;
    endResetModel();
}

void ProfileListModel::setFileProfiles(const QList<FileProfile> &profiles)
{
    beginResetModel();
    m_files = profiles;
    endResetModel();
}

QList<ProfileListModel::FileProfile> ProfileListModel::readFileProfiles(
    const QProcessEnvironment &env, QStringList *errors)
{
    const creds::AwsConfigFiles files = creds::AwsConfigFiles::load(env);
    if (errors)
        *errors = files.errors();
    QList<FileProfile> out;
    const QStringList names = files.profileNames();
    for (const QString &name : names) {
        FileProfile p;
        p.name = name;
        p.kind = creds::classify(files, name, &p.problem);
        p.location = files.profile(name).origin().describe(files.home());
        out.append(p);
    }
    return out;
}

QString ProfileListModel::nameAt(int row) const
{
    if (isKeychain(row))
        return m_keychain.at(row).name;
    const int fileRow = row - int(m_keychain.size());
    return fileRow >= 0 && fileRow < m_files.size() ? m_files.at(fileRow).name : QString();
}

int ProfileListModel::rowOf(const QString &name, bool keychain) const
{
    if (keychain) {
        for (int i = 0; i < m_keychain.size(); ++i) {
            if (m_keychain.at(i).name == name)
                return i;
        }
        return -1;
    }
    for (int i = 0; i < m_files.size(); ++i) {
        if (m_files.at(i).name == name)
            return int(m_keychain.size()) + i;
    }
    return -1;
}

int ProfileListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_keychain.size() + m_files.size());
}

int ProfileListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ProfileListModel::maskedKeyId(const QString &suffix)
{
    return QStringLiteral("****") + suffix;
}

QString ProfileListModel::kindText(creds::CredentialSource kind)
{
    switch (kind) {
    case creds::CredentialSource::StaticKeys:
        return tr("Static keys");
    case creds::CredentialSource::Process:
        return tr("credential_process");
    case creds::CredentialSource::AssumeRole:
        return tr("Role (AssumeRole)");
    case creds::CredentialSource::Sso:
        return tr("SSO");
    case creds::CredentialSource::None:
        break;
    }
    return tr("No credentials");
}

QVariant ProfileListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const int row = index.row();
    if (role == NameRole)
        return nameAt(row);
    if (role == IsKeychainRole)
        return isKeychain(row);

    if (isKeychain(row)) {
        const creds::KeychainProfileInfo &p = m_keychain.at(row);
        if (role == Qt::DisplayRole) {
            switch (index.column()) {
            case NameColumn:
                return p.name;
            case SourceColumn:
                return tr("Keychain");
            case CredentialsColumn:
                return p.hasSessionToken ? tr("Key %1, session token: yes").arg(maskedKeyId(p.accessKeyIdSuffix))
                                         : tr("Key %1, session token: no").arg(maskedKeyId(p.accessKeyIdSuffix));
            case DetailsColumn:
                return p.savedAt.isValid()
                    ? tr("Saved %1").arg(p.savedAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")))
                    : QString();
            default:
                break;
            }
        } else if (role == Qt::ToolTipRole) {
            return tr("Stored in this desktop's keychain; editable here");
        }
        return {};
    }

    const FileProfile &p = m_files.at(row - int(m_keychain.size()));
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case NameColumn:
            return p.name;
        case SourceColumn:
            return tr("AWS files (read-only)");
        case CredentialsColumn:
            return p.problem.isEmpty() ? kindText(p.kind) : tr("Broken: see the tooltip");
        case DetailsColumn:
            return p.location;
        default:
            break;
        }
    } else if (role == Qt::ToolTipRole) {
        return p.problem.isEmpty() ? tr("Defined in the AWS files; edit them there (or with the AWS CLI)") : p.problem;
    }
    return {};
}

QVariant ProfileListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Profile");
    case SourceColumn:
        return tr("Source");
    case CredentialsColumn:
        return tr("Credentials");
    case DetailsColumn:
        return tr("Details");
    default:
        return {};
    }
}

} // namespace gls::ui
