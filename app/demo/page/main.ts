import { mount } from 'svelte';
import ChatPage from './ChatPage.svelte';

mount(ChatPage, { target: document.getElementById('app')! });
