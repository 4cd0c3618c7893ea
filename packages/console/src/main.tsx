import { render } from 'preact';

render(<p>Usher console</p>, document.getElementById('app')!);
