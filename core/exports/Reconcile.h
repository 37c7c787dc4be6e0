#pragma once

// After a crash: an UNKNOWN (or REQUESTING) export whose request may or may
// not have reached the service, compared with what GetStreamSession says now.
// A pure decision; the caller writes it to the store. It never suggests
// sending the request again: RequestWasLost lets the user choose.

#include "ExportRecord.h"

#include "aws/AwsError.h"
#include "gamelift/StreamSession.h"

#include <QString>

namespace gls::exports {

struct Reconcile {
    enum class Action {
        MarkPending,    // the request got through; the export is under way
        MarkSucceeded,  // the request got through and the archive is in S3
        MarkFailed,     // the request got through and the export failed
        RequestWasLost, // the service has no export for this request
    };

    Action action = Action::RequestWasLost;
    QString reason;    // one sentence for the user
    QString outputUri; // the service's OutputUri when it has one for this request

    static QString actionName(Action action);
};

Reconcile decide(const ExportRecord &record, const gamelift::StreamSession &session);

// Whether a failed ExportStreamSessionFiles may still have been carried out:
// its answer was lost (the connection reset or closed mid-answer, a timeout,
// an unreadable answer, a 5xx, a cancel once sent), or an earlier try's may
// have been (it was sent more than once). Such a request is not
// FAILED on a guess: its row becomes UNKNOWN and is settled from
// GetStreamSession with decide(). Throttling, 4xx, TLS, credential and
// validation errors are answers the service gave before doing anything.
bool requestMayHaveArrived(const aws::AwsError &error);

} // namespace gls::exports
