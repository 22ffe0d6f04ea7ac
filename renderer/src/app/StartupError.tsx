import type { AppError } from '../api/AppError';
import { ActionButton } from '../ui/ActionButton';
import { ErrorText } from '../ui/ErrorText';
import { OnboardingLayout } from '../vault/OnboardingLayout';

/** When the app cannot even tell whether a vault exists. */
export function StartupError({ error, onRetry }: { error: AppError; onRetry(): void }) {
  return (
    <OnboardingLayout title="The app could not start">
      <ErrorText error={error} />
      <div className="actions">
        <ActionButton onPress={onRetry}>Try again</ActionButton>
      </div>
    </OnboardingLayout>
  );
}
