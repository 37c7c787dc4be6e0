// An HTTP/1.1 answer as aws::StreamingGet reads it (S3 downloads): the status
// line, headers, and a body framed by Content-Length, chunked coding or the
// connection's end, from bytes a server sent. The first input byte chooses how
// the rest is cut into reads.
// Invariants: finished() comes exactly once after the connection's end; a
// failure says why; a body never goes beyond its Content-Length; and the
// outcome (status, failure, body bytes) is the same whether the bytes came in
// one read or in many.

#include "FuzzSupport.h"

#include "aws/StreamingGet.h"

using namespace gls;

namespace {

struct Outcome {
    int finished = 0;
    aws::WireAnswer answer;
    QByteArray streamed;
};

Outcome read(const QByteArray &bytes, qsizetype piece)
{
    Outcome out;
    aws::StreamingGet get(QUrl(QStringLiteral("http://127.0.0.1:1/b/k")), {}, {}, 60000, [&out](QByteArrayView b) {
        out.streamed.append(b.data(), b.size());
        return true;
    });
    QObject::connect(&get, &aws::StreamingGet::finished, [&out] { ++out.finished; });
    for (qsizetype at = 0; at < bytes.size(); at += piece)
        get.feed(QByteArrayView(bytes).sliced(at, qMin(piece, bytes.size() - at)));
    get.feedEnd();
    out.answer = get.answer();
    return out;
}

QByteArray headerOf(const aws::WireAnswer &a, QByteArrayView name)
{
    for (const auto &[k, v] : a.headers) {
        if (k.compare(name, Qt::CaseInsensitive) == 0)
            return v.trimmed();
    }
    return {};
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz::quietQt();
    if (size == 0)
        return 0;
    const qsizetype piece = qsizetype(data[0] % 17) + 1;
    const QByteArray bytes(reinterpret_cast<const char *>(data) + 1, qsizetype(size) - 1);

    const Outcome whole = read(bytes, qMax<qsizetype>(1, bytes.size()));
    const Outcome cut = read(bytes, piece);
    for (const Outcome *o : {&whole, &cut}) {
        FUZZ_CHECK(o->finished == 1);
        FUZZ_CHECK((o->answer.failure == aws::WireAnswer::Failure::None) == o->answer.errorString.isEmpty());
        FUZZ_CHECK(o->answer.streamedBytes == o->streamed.size());
        FUZZ_CHECK(o->streamed.size() + o->answer.body.size() <= bytes.size());
        FUZZ_CHECK(o->streamed.isEmpty() || (o->answer.status >= 200 && o->answer.status < 300));
        const QByteArray length = headerOf(o->answer, "content-length");
        const bool chunked = headerOf(o->answer, "transfer-encoding").toLower().contains("chunked");
        if (!length.isEmpty() && !chunked && o->answer.failure == aws::WireAnswer::Failure::None
            && o->answer.status != 204 && o->answer.status != 304)
            FUZZ_CHECK(o->streamed.size() + o->answer.body.size() == length.toLongLong());
    }
    FUZZ_CHECK(whole.answer.status == cut.answer.status);
    FUZZ_CHECK(whole.answer.failure == cut.answer.failure);
    FUZZ_CHECK(whole.streamed == cut.streamed);
    FUZZ_CHECK(whole.answer.body == cut.answer.body);
    return 0;
}
