#pragma once

// The profiles the credentials dialog lists: the app's keychain profiles
// (editable) and, read-only, the AWS files' profiles with the kind of
// credentials each names and where it is defined. Nothing secret is held:
// keychain rows carry the index's metadata only (the key ID's last four
// characters, whether a session token is stored, when it was saved).

#include "credentials/KeychainStore.h"
#include "credentials/ProfileClassifier.h"

#include <QAbstractTableModel>
#include <QList>

namespace gls::ui {

class ProfileListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, SourceColumn, CredentialsColumn, DetailsColumn, ColumnCount };
    enum Role { NameRole = Qt::UserRole + 1, IsKeychainRole };

    struct FileProfile {
        QString name;
        creds::CredentialSource kind = creds::CredentialSource::None;
        QString problem;  // why the profile is unusable, when it is
        QString location; // "~/.aws/config line 3"
    };

    explicit ProfileListModel(QObject *parent = nullptr);

    void setKeychainProfiles(const QList<creds::KeychainProfileInfo> &profiles);
    void setFileProfiles(const QList<FileProfile> &profiles);
    // Reads the AWS files (AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE or ~/.aws) named by `env`.
    static QList<FileProfile> readFileProfiles(const QProcessEnvironment &env, QStringList *errors = nullptr);

    bool isKeychain(int row) const { return row >= 0 && row < m_keychain.size(); }
    QString nameAt(int row) const;
    int rowOf(const QString &name, bool keychain) const; // -1 when absent

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString maskedKeyId(const QString &suffix); // "****WXYZ"
    static QString kindText(creds::CredentialSource kind);

private:
    QList<creds::KeychainProfileInfo> m_keychain;
    QList<FileProfile> m_files;
};

} // namespace gls::ui
