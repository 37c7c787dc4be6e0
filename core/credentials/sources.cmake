# Where credentials come from: the AWS config files, the OS keychain,
# credential_process, STS AssumeRole, SSO, and the chain that orders them.
# One target_sources() line per concern.
target_sources(gls_core PRIVATE credentials/AwsConfigFiles.h credentials/AwsConfigFiles.cpp credentials/ProfileClassifier.h credentials/ProfileClassifier.cpp credentials/ConfigSettings.h credentials/ConfigSettings.cpp credentials/SsoTokenCache.h credentials/SsoTokenCache.cpp)
target_sources(gls_core PRIVATE credentials/KeychainStore.h credentials/KeychainStore.cpp credentials/KeychainCredentialsProvider.h credentials/KeychainCredentialsProvider.cpp)
target_sources(gls_core PRIVATE credentials/ProcessCredentialsProvider.h credentials/ProcessCredentialsProvider.cpp credentials/RefreshingCredentialsProvider.h credentials/RefreshingCredentialsProvider.cpp)
target_sources(gls_core PRIVATE credentials/Sts.h credentials/Sts.cpp credentials/AssumeRoleCredentialsProvider.h credentials/AssumeRoleCredentialsProvider.cpp credentials/SsoCredentialsProvider.h credentials/SsoCredentialsProvider.cpp credentials/ProfileSettings.h credentials/ProfileSettings.cpp credentials/CredentialChain.h credentials/CredentialChain.cpp credentials/FetchWaiters.h)
