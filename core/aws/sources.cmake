target_sources(gls_core PRIVATE
    aws/AwsError.h aws/AwsError.cpp
    aws/AwsTransport.h aws/AwsTransport.cpp
    aws/Clock.h
    aws/Credentials.h aws/Credentials.cpp
    aws/Endpoints.h aws/Endpoints.cpp
    aws/HttpDate.h aws/HttpDate.cpp
    aws/Redaction.h aws/Redaction.cpp
    aws/RetryPolicy.h aws/RetryPolicy.cpp
    aws/StreamingGet.h aws/StreamingGet.cpp)
