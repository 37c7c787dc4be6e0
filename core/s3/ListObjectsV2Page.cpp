#include "ListObjectsV2Page.h"

#include "sigv4/SigV4.h"

#include <QXmlStreamReader>

namespace gls::s3 {

namespace {

// encoding-type=url: S3 encodes keys the HTML-form way ('+' for a space).
QString urlDecoded(const QString &value)
{
    QByteArray bytes = value.toUtf8();
    bytes.replace('+', ' ');
    return QString::fromUtf8(sigv4::percentDecode(bytes));
}

class Parser {
public:
    explicit Parser(const QByteArray &xml)
        : m_xml(xml)
    {
    }

    bool run(ListObjectsV2Page *page, QString *error)
    {
        if (!m_xml.readNextStartElement())
            return fail(error, QStringLiteral("the answer holds no XML element"));
        if (m_xml.name() != QLatin1String("ListBucketResult"))
            return fail(error, QStringLiteral("the answer is <%1>, not <ListBucketResult>").arg(m_xml.name()));
        bool urlEncoded = false;
        QString truncated;
        while (m_xml.readNextStartElement()) {
            const auto name = m_xml.name();
            if (name == QLatin1String("Contents")) {
                ObjectInfo info;
                if (!readContents(&info))
                    break;
                page->objects.append(info);
            } else if (name == QLatin1String("CommonPrefixes")) {
                while (m_xml.readNextStartElement()) {
                    if (m_xml.name() == QLatin1String("Prefix"))
                        page->commonPrefixes.append(m_xml.readElementText());
                    else
                        m_xml.skipCurrentElement();
                }
            } else if (name == QLatin1String("IsTruncated")) {
                truncated = m_xml.readElementText();
            } else if (name == QLatin1String("NextContinuationToken")) {
                page->nextContinuationToken = m_xml.readElementText();
            } else if (name == QLatin1String("EncodingType")) {
                urlEncoded = m_xml.readElementText() == QLatin1String("url");
            } else {
                m_xml.skipCurrentElement();
            }
        }
        if (m_xml.hasError()) {
            return fail(error,
                m_problem.isEmpty() ? QStringLiteral("malformed XML at line %1, column %2: %3")
                                          .arg(m_xml.lineNumber())
                                          .arg(m_xml.columnNumber())
                                          .arg(m_xml.errorString())
                                    : m_problem);
        }
        if (truncated != QLatin1String("true") && truncated != QLatin1String("false"))
            return fail(error, QStringLiteral("<IsTruncated> must be true or false, not '%1'").arg(truncated));
        page->isTruncated = truncated == QLatin1String("true");
        if (page->isTruncated && page->nextContinuationToken.isEmpty())
            return fail(error, QStringLiteral("the listing is truncated but holds no <NextContinuationToken>"));
        if (urlEncoded) {
            for (ObjectInfo &o : page->objects)
                o.key = urlDecoded(o.key);
            for (QString &p : page->commonPrefixes)
                p = urlDecoded(p);
        }
        return true;
    }

private:
    bool fail(QString *error, const QString &why)
    {
        *error = QStringLiteral("unreadable ListObjectsV2 answer: ") + why;
        return false;
    }

    // Stops the reader with a message naming the field; false then.
    bool problem(const QString &why)
    {
        m_problem = why;
        m_xml.raiseError(why);
        return false;
    }

    bool readContents(ObjectInfo *info)
    {
        bool hasKey = false;
        bool hasSize = false;
        while (m_xml.readNextStartElement()) {
            const auto name = m_xml.name();
            if (name == QLatin1String("Key")) {
                info->key = m_xml.readElementText();
                hasKey = true;
            } else if (name == QLatin1String("Size")) {
                const QString text = m_xml.readElementText();
                bool ok = false;
                info->size = text.toLongLong(&ok);
                if (!ok || info->size < 0)
                    return problem(QStringLiteral("<Size> '%1' is not a byte count").arg(text));
                hasSize = true;
            } else if (name == QLatin1String("ETag")) {
                info->etag = m_xml.readElementText().toUtf8();
            } else if (name == QLatin1String("LastModified")) {
                const QString text = m_xml.readElementText();
                info->lastModified = QDateTime::fromString(text, Qt::ISODateWithMs).toUTC();
                if (!info->lastModified.isValid())
                    return problem(QStringLiteral("<LastModified> '%1' is not an ISO 8601 time").arg(text));
            } else {
                m_xml.skipCurrentElement();
            }
        }
        if (m_xml.hasError())
            return false;
        if (!hasKey || !hasSize)
            return problem(QStringLiteral("an entry of <Contents> lacks <Key> or <Size>"));
        return true;
    }

    QXmlStreamReader m_xml;
    QString m_problem;
};

} // namespace

bool ListObjectsV2Page::parse(const QByteArray &xml, ListObjectsV2Page *out, QString *error)
{
    ListObjectsV2Page page;
    if (!Parser(xml).run(&page, error))
        return false;
    *out = std::move(page);
    return true;
}

} // namespace gls::s3
