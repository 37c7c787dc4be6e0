#pragma once

// s3://bucket/key URIs and Amazon S3's bucket naming rules, checked before
// anything is sent, with messages that name the rule that was broken.

#include <QString>

namespace gls::s3 {

struct S3Uri {
    QString bucket;
    QString key; // may be empty (a bucket) or end with '/' (a folder)

    bool isFolder() const { return key.isEmpty() || key.endsWith(QLatin1Char('/')); }
    QString toString() const; // "s3://bucket/key"
};

// Parses "s3://bucket[/key]". On failure returns false and a message that
// names `field` and the rule (e.g. "--output: the bucket name 'My_Bucket' may
// only hold lowercase letters, digits, dots and hyphens").
bool parseS3Uri(const QString &text, S3Uri *out, QString *error, const QString &field = QStringLiteral("S3 URI"));

// Amazon S3's general-purpose bucket naming rules (3-63 characters; lowercase
// letters, digits, dots, hyphens; starts and ends with a letter or digit; no
// "..", not an IP address; not "xn--"/"sthree-" prefixed nor "-s3alias"/
// "--ol-s3" suffixed). Empty string when valid, else the broken rule.
QString bucketNameProblem(const QString &bucket);

} // namespace gls::s3
